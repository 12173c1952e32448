import { describe, expect, it } from 'vitest';
import { call, emulator } from '../helpers/emulator.js';

const contacts = '/waInstance1101000001/getContacts/tok-1101000001';

describe('rate limits', () => {
  it("enforces the provider's published limit (getContacts 1/s per instance) with 429, without the undocumented Retry-After", async () => {
    const e = await emulator({ rateLimits: {} });
    expect((await call(e.url, 'GET', contacts)).status).toBe(200);
    const limited = await call(e.url, 'GET', contacts);
    expect(limited.status).toBe(429);
    // GREEN-API's Rate limiter page documents the 429, and no Retry-After.
    expect(limited.headers.get('retry-after')).toBeNull();
    // Another instance and another method have buckets of their own.
    expect((await call(e.url, 'GET', '/waInstance1101000003/getContacts/tok-1101000003')).status).toBe(200);
    expect((await call(e.url, 'GET', '/waInstance1101000001/getSettings/tok-1101000001')).status).toBe(200);
    const log = e.requests();
    expect(log.filter((r) => r.fault === 'rate-limit')).toHaveLength(1);
  });

  it('2Chat allows a minute of requests at once, then throttles per key', async () => {
    const e = await emulator({ rateLimits: { '2chat': { perSecond: 3 / 60, burst: 3 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call(e.url, 'GET', '/open/info', { headers: { 'x-user-api-key': 'UAK-1' } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('takes overrides per method name', async () => {
    const e = await emulator({ rateLimits: { getContacts: { perSecond: 1000, burst: 5 } } });
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () => call(e.url, 'GET', contacts).then((r) => r.status)),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('seeded faults', () => {
  async function statuses(seed: number, n: number): Promise<number[]> {
    const e = await emulator({ faults: { errorRate: 0.3, seed } });
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await call(e.url, 'GET', contacts)).status);
    await e.stop();
    return out;
  }

  it('answers a share of requests 500/502, the same ones under the same seed', async () => {
    const a = await statuses(42, 60);
    const b = await statuses(42, 60);
    const c = await statuses(43, 60);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const failed = a.filter((s) => s >= 500);
    expect(failed.length).toBeGreaterThan(5);
    expect(failed.length).toBeLessThan(35);
    expect(new Set(failed)).toEqual(new Set([500, 502]));
  });

  it('drops connections mid-response after doing the work', async () => {
    const e = await emulator({ faults: { dropRate: 1, seed: 1 } });
    await expect(
      call(e.url, 'POST', '/waInstance1101000001/deleteContact/tok-1101000001', {
        body: { chatId: '79876543219@c.us' },
      }),
    ).rejects.toThrow();
    const state = (await call(e.url, 'GET', '/__emulator/state')).json;
    expect(state['green-api'].instances[0].contacts.map((c: any) => c.id)).not.toContain('79876543219@c.us');
    expect(e.requests().at(-1)).toMatchObject({ fault: 'drop', operation: 'deleteContact' });
  });

  it('answers 429 storms, with Retry-After where the provider sends one (not GREEN-API)', async () => {
    const e = await emulator({ faults: { throttleRate: 1, seed: 1 } });
    const r = await call(e.url, 'GET', contacts);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeNull();
    const w = await call(e.url, 'GET', '/api/contact?workspaceId=ws-1', {
      headers: { authorization: 'Bearer wab-key-1', 'x-workspace-id': 'ws-1' },
    });
    expect(w.status).toBe(429);
    expect(w.headers.get('retry-after')).toBe('1');
  });

  it('adds latency', async () => {
    const e = await emulator({ latencyMs: 120 });
    const t0 = performance.now();
    await call(e.url, 'GET', contacts);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });
});
