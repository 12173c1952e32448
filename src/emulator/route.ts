import type { IncomingHttpHeaders } from 'node:http';
import type { RateLimit } from '../shared/token-bucket.js';
import type { World } from './world.js';

/** A request as the provider routes see it: parsed URL, headers, and the raw body text. */
export interface EmuRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What a route answers: JSON (any value, `null` included) or plain text. */
export type EmuResponse =
  | { readonly status: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | { readonly status: number; readonly text: string; readonly headers?: Record<string, string> };

export interface EmuContext {
  readonly world: World;
  /** The emulator's clock: fixed by `now`/`--now`, else real time. */
  now(): Date;
}

/**
 * One matched endpoint. `limitName` is what `--rate-limit NAME=N/s` matches; `bucket` scopes the
 * limit (per instance, per workspace, per API key); `defaultLimit` is the provider's published
 * limit (undefined: none published).
 */
export interface MatchedRoute {
  readonly provider: 'green-api' | 'green-api-partner' | 'wabotify' | '2chat';
  readonly operation: string;
  readonly limitName: string;
  readonly bucket: string;
  readonly defaultLimit: RateLimit | undefined;
  /** False when the provider documents no `Retry-After` on its 429 (GREEN-API): the emulator sends none. */
  readonly retryAfter?: false;
  /** The path with every secret replaced by `***`, for the request log. */
  readonly redactedPath: string;
  handle(req: EmuRequest, ctx: EmuContext): EmuResponse;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): EmuResponse =>
  headers ? { status, json: body, headers } : { status, json: body };

export const text = (status: number, body: string): EmuResponse => ({ status, text: body });

/** Parses a JSON body; undefined when it is not JSON (each provider answers that in its own shape). */
export function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
