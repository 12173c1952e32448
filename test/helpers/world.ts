import { join } from 'node:path';
import { loadDesired, parseDesired } from '../../src/config/load.js';
import type { Desired } from '../../src/config/model.js';
import { observeAccounts } from '../../src/engine/observe-accounts.js';
import { HttpClient, type HttpClientOptions } from '../../src/http/client.js';
import type { ObservedCollection } from '../../src/model/observed.js';
import { connectAll } from '../../src/providers/registry.js';
import { ROOT } from './cli.js';

/** The credentials of examples/emulator-state.yaml, under the names examples/chatstate.yaml reads. */
export const EXAMPLE_ENV = {
  GREEN_API_PARTNER_TOKEN: 'gac.partner-1',
  GREEN_API_TOKEN_1101000001: 'tok-1101000001',
  WABOTIFY_API_KEY: 'wab-key-1',
  TWOCHAT_API_KEY: 'UAK-1',
};

/** The example world's clock (examples/emulator-state.yaml `now`). */
export const EXAMPLE_NOW = new Date('2026-11-25T12:00:00Z');

/** Every token of the test suite's worlds: the secret sweep looks for each of them. */
export const TEST_TOKENS = [
  'gac.partner-1',
  'tok-1101000001',
  'tok-1101000002',
  'tok-1101000003',
  'wab-key-1',
  'UAK-1',
];

export function exampleEnv(url: string): Record<string, string> {
  return { ...EXAMPLE_ENV, GREEN_API_URL: url, WABOTIFY_URL: url, TWOCHAT_URL: `${url}/open` };
}

export function exampleDesired(url: string, file = join(ROOT, 'examples', 'chatstate.yaml')): Desired {
  return loadDesired(file, { env: exampleEnv(url) });
}

export function desiredFrom(yamlText: string, env: Record<string, string> = {}, file = 'test.yaml'): Desired {
  return parseDesired(file, Buffer.from(yamlText), { env });
}

/**
 * A fake clock shared by the client (and, via `limiterClock`, the emulator): sleeping advances it
 * at once, so rate limits and Retry-After are exact and cost no real time.
 */
export function fakeTime(start = 1_000_000): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
} {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

export function testClient(options: HttpClientOptions = {}): HttpClient {
  const time = fakeTime();
  return new HttpClient({ now: time.now, sleep: time.sleep, random: () => 0.5, ...options });
}

export async function observeAll(desired: Desired, http: HttpClient, now = EXAMPLE_NOW): Promise<ObservedCollection[]> {
  return observeAccounts(desired, connectAll(desired, http, 8), { now });
}

export const byAddress = (collections: readonly ObservedCollection[]): Map<string, ObservedCollection> =>
  new Map(collections.map((c) => [c.ref.address, c]));
