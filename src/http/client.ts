import { Agent, type Dispatcher, request } from 'undici';
import { redact, redactHeaders } from '../shared/redact.js';
import type { RateLimit } from '../shared/token-bucket.js';
import {
  AuthError,
  NotFoundError,
  ProviderError,
  RateLimitedError,
  type RequestOrigin,
  TransportError,
} from './errors.js';
import { RateLimiter } from './rate-limiter.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  pacedDelay,
  parseRetryAfter,
  type RetryPolicy,
  TRANSIENT_STATUSES,
} from './retry.js';

/** One request as a provider describes it. `url` may hold a secret; everything shown is redacted. */
export interface HttpRequestSpec {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as compact JSON with `Content-Type: application/json`. */
  readonly body?: unknown;
  readonly operation: string;
  /** Rate-limit scope: `provider:account-or-instance:method`. */
  readonly limitKey: string;
  readonly limit: RateLimit | 'off';
  /** Statuses this provider documents as "busy, try again" on top of the usual transient ones. */
  readonly extraTransientStatuses?: readonly number[];
}

/** What dry-run prints and the journal may record: no secret in any field. */
export interface RedactedRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
}

export function redactRequest(spec: HttpRequestSpec): RedactedRequest {
  const url = redact(spec.url);
  return spec.body === undefined
    ? { method: spec.method, url }
    : { method: spec.method, url, body: JSON.parse(redact(JSON.stringify(spec.body))) as unknown };
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  readonly attempts: number;
  readonly origin: RequestOrigin;
}

export interface HttpClientOptions {
  /** Connections per origin (keep-alive pool size). */
  readonly connections?: number;
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
  /** Wall-clock budget of one call, retries and waits included. */
  readonly budgetMs?: number;
  readonly retry?: RetryPolicy;
  /** Injected for tests: a fake clock and sleep make retry timing exact without waiting. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Verbose log lines (already redacted). */
  readonly log?: (line: string) => void;
  readonly dispatcher?: Dispatcher;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The one HTTP choke point: keep-alive per origin, timeouts, client-side rate limits, retries of
 * transient failures with full-jitter backoff and `Retry-After`, and redaction of everything shown.
 * Non-transient answers are returned for the provider to interpret; `errorFor` types them.
 */
export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly limiter: RateLimiter;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log: (line: string) => void;
  private readonly budgetMs: number;
  private readonly headersTimeoutMs: number;
  private readonly bodyTimeoutMs: number;

  constructor(options: HttpClientOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => undefined);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.budgetMs = options.budgetMs ?? 120_000;
    this.headersTimeoutMs = options.headersTimeoutMs ?? 30_000;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? 60_000;
    this.limiter = new RateLimiter(this.now);
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connections: options.connections ?? 16,
        keepAliveTimeout: 30_000,
        connect: { timeout: options.connectTimeoutMs ?? 10_000 },
        headersTimeout: this.headersTimeoutMs,
        bodyTimeout: this.bodyTimeoutMs,
      });
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Sends `spec`, retrying transient failures. Throws TransportError/RateLimitedError/ProviderError when retries run out. */
  async send(spec: HttpRequestSpec, who: { provider: string; account: string }): Promise<HttpResponse> {
    const origin: RequestOrigin = { ...who, operation: spec.operation, httpMethod: spec.method, url: redact(spec.url) };
    const started = this.now();
    const transient = new Set([...TRANSIENT_STATUSES, ...(spec.extraTransientStatuses ?? [])]);
    for (let attempt = 1; ; attempt++) {
      const wait = this.limiter.reserve(spec.limitKey, spec.limit);
      if (wait > 0) await this.sleep(wait);
      const remaining = this.budgetMs - (this.now() - started);
      const outcome = await this.attempt(spec, remaining);
      let delay: number;
      let why: string;
      if ('status' in outcome) {
        if (!transient.has(outcome.status)) return { ...outcome, attempts: attempt, origin };
        const retryAfter = parseRetryAfter(headerValue(outcome.headers['retry-after']), Date.now());
        const paced =
          outcome.status === 429
            ? pacedDelay(this.retry, attempt, this.random, spec.limit === 'off' ? undefined : spec.limit.perSecond)
            : undefined;
        delay = retryAfter ?? paced ?? backoffDelay(this.retry, attempt, this.random);
        why = `${outcome.status}${retryAfter !== undefined ? ` (Retry-After ${retryAfter} ms)` : ''}`;
        if (this.givesUp(attempt, started, delay)) {
          const detail = describeBody(outcome.text);
          throw outcome.status === 429
            ? new RateLimitedError(origin, detail, attempt)
            : new ProviderError(
                origin,
                outcome.status,
                detail,
                attempt,
                `gave up after ${attempt} attempts; run again later`,
              );
        }
      } else {
        delay = backoffDelay(this.retry, attempt, this.random);
        why = outcome.error;
        if (this.givesUp(attempt, started, delay)) throw new TransportError(origin, outcome.error, attempt);
      }
      this.log(
        `retry ${attempt + 1}/${this.retry.maxAttempts} ${origin.httpMethod} ${origin.url} in ${delay} ms after ${redact(why)}`,
      );
      await this.sleep(delay);
    }
  }

  private givesUp(attempt: number, started: number, delay: number): boolean {
    return attempt >= this.retry.maxAttempts || this.now() - started + delay > this.budgetMs;
  }

  private async attempt(
    spec: HttpRequestSpec,
    remainingMs: number,
  ): Promise<Omit<HttpResponse, 'attempts' | 'origin'> | { error: string }> {
    if (remainingMs <= 0) return { error: 'request budget exhausted' };
    const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    this.log(
      `${spec.method} ${redact(spec.url)}${body !== undefined ? ` ${redact(body)}` : ''} ${JSON.stringify(redactHeaders(headers))}`,
    );
    const sentAt = this.now();
    try {
      const res = await request(spec.url, {
        dispatcher: this.dispatcher,
        method: spec.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(Math.max(1, Math.floor(remainingMs))),
      });
      const text = await res.body.text();
      this.log(`${res.statusCode} ${spec.method} ${redact(spec.url)} in ${Math.round(this.now() - sentAt)} ms`);
      return { status: res.statusCode, headers: res.headers, text, json: parseJson(text) };
    } catch (err) {
      const message = redact(transportMessage(err));
      this.log(`no answer: ${spec.method} ${redact(spec.url)} after ${Math.round(this.now() - sentAt)} ms: ${message}`);
      return { error: message };
    }
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

function transportMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
    return code ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** A provider's error body, redacted and cut to one readable line: `{message}`, `{error_message}`, `{description}` or text. */
export function describeBody(text: string): string {
  const json = parseJson(text);
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>;
    const msg = [o['message'], o['error_message'], o['description'], o['details']]
      .filter((v) => typeof v === 'string' && v !== '')
      .join(': ');
    if (msg) return redact(msg).slice(0, 300);
  }
  return redact(text.replace(/\s+/g, ' ').trim()).slice(0, 300);
}

/** Types a non-2xx answer the provider did not handle itself. */
export function errorFor(res: HttpResponse, credential: string): Error {
  const detail = describeBody(res.text);
  if (res.status === 401 || res.status === 403) return new AuthError(res.origin, res.status, detail, credential);
  if (res.status === 404) return new NotFoundError(res.origin, res.status, detail);
  return new ProviderError(res.origin, res.status, detail, res.attempts);
}
