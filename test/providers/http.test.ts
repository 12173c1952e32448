import { describe, expect, it } from 'vitest';
import { HttpClient, type HttpRequestSpec } from '../../src/http/client.js';
import { RateLimitedError, TransportError } from '../../src/http/errors.js';
import { RateLimiter } from '../../src/http/rate-limiter.js';
import { backoffDelay, parseRetryAfter } from '../../src/http/retry.js';
import { redact } from '../../src/shared/redact.js';
import { Secret } from '../../src/shared/secret.js';
import { perSecond } from '../../src/shared/token-bucket.js';
import { emulator } from '../helpers/emulator.js';
import { exampleDesired, fakeTime, observeAll, TEST_TOKENS } from '../helpers/world.js';

const who = { provider: 'green-api', account: 'green-api.main' };
const getContacts = (url: string, limit: HttpRequestSpec['limit'] = 'off'): HttpRequestSpec => ({
  method: 'GET',
  url: `${url}/waInstance1101000001/getContacts/tok-1101000001`,
  operation: 'getContacts',
  limitKey: 'green-api:1101000001:getContacts',
  limit,
});

describe('retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const p = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 1000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n, () => 0.999))).toEqual([199, 399, 799, 999]);
    expect(backoffDelay(p, 3, () => 0)).toBe(0);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:03 GMT', Date.parse('2026-11-25T12:00:00Z'))).toBe(3000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});

describe('HttpClient against the emulator', () => {
  it('honours Retry-After on 429 (time from a fake clock shared with the emulator, no real waiting)', async () => {
    // GREEN-API documents no Retry-After (its emulator sends none); Wabotify's emulated 429 carries one.
    const time = fakeTime();
    const emu = await emulator({ rateLimits: { listContacts: perSecond(1) }, limiterClock: time.now });
    const lines: string[] = [];
    const http = new HttpClient({ now: time.now, sleep: time.sleep, random: () => 0.5, log: (l) => lines.push(l) });
    const list: HttpRequestSpec = {
      method: 'GET',
      url: `${emu.url}/api/contact?workspaceId=ws-1`,
      headers: { authorization: 'Bearer wab-key-1', 'x-workspace-id': 'ws-1' },
      operation: 'listContacts',
      limitKey: 'wabotify:ws-1:listContacts',
      limit: 'off',
    };
    const wab = { provider: 'wabotify', account: 'wabotify.sales' };
    const first = await http.send(list, wab);
    const second = await http.send(list, wab);
    await http.close();
    expect(first.attempts).toBe(1);
    expect(second).toMatchObject({ status: 200, attempts: 2 });
    expect(time.slept).toEqual([1000]);
    expect(emu.requests().map((r) => r.status)).toEqual([200, 429, 200]);
    expect(lines.filter((l) => l.startsWith('retry'))).toEqual([
      `retry 2/6 GET ${emu.url}/api/contact?workspaceId=ws-1 in 1000 ms after 429 (Retry-After 1000 ms)`,
    ]);
  });

  it('spaces requests to the published limit on the client side, so the provider never says 429', async () => {
    const time = fakeTime();
    const emu = await emulator({ rateLimits: { getContacts: perSecond(1) }, limiterClock: time.now });
    const http = new HttpClient({ now: time.now, sleep: time.sleep });
    for (let i = 0; i < 3; i++) await http.send(getContacts(emu.url, perSecond(1)), who);
    await http.close();
    expect(emu.requests().map((r) => r.status)).toEqual([200, 200, 200]);
    // 3% headroom under the published rate absorbs network jitter.
    expect(time.slept).toEqual([1031, 1031]);
  });

  it('queues concurrent callers of one key in order, and never makes other keys wait', () => {
    const time = fakeTime(0);
    const limiter = new RateLimiter(time.now);
    expect([1, 2, 3].map(() => limiter.reserve('green-api:1:deleteContact', perSecond(1)))).toEqual([0, 1031, 2062]);
    expect(limiter.reserve('green-api:2:deleteContact', perSecond(1))).toBe(0);
    expect(limiter.reserve('green-api:1:leaveGroup', perSecond(10))).toBe(0);
    expect(limiter.reserve('wabotify:x:listContacts', 'off')).toBe(0);
  });

  it('gives up on a 429 storm after the bounded number of tries with a RateLimitedError', async () => {
    const time = fakeTime();
    const emu = await emulator({ faults: { throttleRate: 1, seed: 1 } });
    const http = new HttpClient({
      now: time.now,
      sleep: time.sleep,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    });
    const err = await http.send(getContacts(emu.url), who).catch((e: unknown) => e);
    await http.close();
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).attempts).toBe(3);
    expect(emu.requests()).toHaveLength(3);
  });

  it('recovers from seeded 500/502s and dropped connections', async () => {
    const time = fakeTime();
    const emu = await emulator({ faults: { errorRate: 0.3, dropRate: 0.2, seed: 7 } });
    const http = new HttpClient({
      now: time.now,
      sleep: time.sleep,
      retry: { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 100 },
    });
    const results = await Promise.all(Array.from({ length: 30 }, () => http.send(getContacts(emu.url), who)));
    await http.close();
    expect(results.every((r) => r.status === 200)).toBe(true);
    const faults = emu.requests().filter((r) => r.fault);
    expect(faults.some((r) => r.fault === 'error')).toBe(true);
    expect(faults.some((r) => r.fault === 'drop')).toBe(true);
    expect(results.reduce((n, r) => n + r.attempts, 0)).toBe(emu.requests().length);
  });

  it('never retries 400/401/403/404', async () => {
    const emu = await emulator();
    const http = new HttpClient();
    for (const [url, status] of [
      [`${emu.url}/waInstance1101000001/getContacts/wrong`, 401],
      [`${emu.url}/waInstance1109999999/getContacts/tok-1101000001`, 403],
      [`${emu.url}/waInstance1101000001/noSuchMethod/tok-1101000001`, 404],
    ] as const) {
      const res = await http.send({ ...getContacts(emu.url), url }, who);
      expect(res).toMatchObject({ status, attempts: 1 });
    }
    await http.close();
    expect(emu.requests()).toHaveLength(3);
  });

  it('a refused connection is a TransportError after bounded tries, with the URL redacted', async () => {
    const time = fakeTime();
    const http = new HttpClient({
      now: time.now,
      sleep: time.sleep,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const err = await http.send(getContacts('http://127.0.0.1:9'), who).catch((e: unknown) => e);
    await http.close();
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toContain('/waInstance1101000001/getContacts/***');
    expect((err as Error).message).not.toContain('tok-1101000001');
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('redaction', () => {
  it('masks GREEN-API URL tokens, bearer keys and every loaded secret', () => {
    new Secret('s3cr3t-value', 'X');
    expect(redact('GET https://h/waInstance1/getContacts/abc?x=1 and /partner/getInstances/def')).toBe(
      'GET https://h/waInstance1/getContacts/***?x=1 and /partner/getInstances/***',
    );
    expect(redact('Authorization: Bearer abc.def')).toBe('Authorization: Bearer ***');
    expect(redact('key s3cr3t-value in text')).toBe('key *** in text');
  });

  it('no token of the test configs appears in verbose logs or errors of a whole observation', async () => {
    const emu = await emulator({ faults: { errorRate: 0.2, seed: 3 } });
    const lines: string[] = [];
    const time = fakeTime();
    const http = new HttpClient({ now: time.now, sleep: time.sleep, log: (l) => lines.push(l) });
    const observed = await observeAll(exampleDesired(emu.url), http);
    await http.close();
    const captured = [...lines, ...observed.map((c) => c.error?.message ?? ''), JSON.stringify(observed)].join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const token of TEST_TOKENS) expect(captured).not.toContain(token);
  });
});
