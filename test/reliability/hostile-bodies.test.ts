import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlan } from '../../src/engine/make-plan.js';
import { HttpClient } from '../../src/http/client.js';
import { desiredFrom, fakeTime } from '../helpers/world.js';

/**
 * A provider that misbehaves on purpose: every list endpoint answers what `bodies` says for the
 * current case. Whatever it answers, the plan must carry an error and no removal.
 */
let server: Server;
let url = '';
let current: { status: number; body: string } = { status: 200, body: '' };
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (path.includes('/getSettings/')) return send(200, JSON.stringify({ wid: '79990000001@c.us' }));
    if (path.includes('/getWaSettings/')) return send(200, '{}');
    if (path.startsWith('/open/info'))
      return send(200, JSON.stringify({ success: true, limits: { requests_per_minute: 6000 } }));
    if (path.startsWith('/api/contact') && !path.includes('continuationToken')) {
      return send(
        200,
        JSON.stringify({
          success: true,
          code: 200,
          data: { workspaceId: 'ws', continuationToken: 'next', data: [{ id: 'c-1', name: 'A' }] },
        }),
      );
    }
    return send(current.status, current.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const CONFIGS = {
  'green-api contacts': () =>
    `version: 1\ngreen-api:\n  g:\n    apiUrl: ${url}\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [] }\n`,
  'green-api partner instances': () =>
    `version: 1\ngreen-api:\n  g:\n    apiUrl: ${url}\n    partner:\n      token: \${T}\n      instances: { prune: true, keep: [] }\n`,
  'wabotify contacts (second page)': () =>
    `version: 1\nwabotify:\n  w:\n    workspaceId: ws\n    apiKey: \${T}\n    apiUrl: ${url}\n    contacts: { prune: true, keep: [] }\n`,
  '2chat contacts': () =>
    `version: 1\n2chat:\n  c:\n    apiKey: \${T}\n    apiUrl: ${url}/open\n    contacts: { prune: true, keep: [] }\n`,
  '2chat numbers': () =>
    `version: 1\n2chat:\n  c:\n    apiKey: \${T}\n    apiUrl: ${url}/open\n    numbers: { prune: true, keep: [] }\n`,
};

const BODIES: [string, number, string][] = [
  ['an empty body', 200, ''],
  ['a truncated body', 200, '[{"id":"79000000001@c.us","name":"A","type":"user"},{"id":"7900'],
  [
    'a 200 with an error payload {code, description}',
    200,
    JSON.stringify({ code: 500, description: 'Internal error' }),
  ],
  ['a 200 with an error payload {success: false}', 200, JSON.stringify({ success: false, message: 'try later' })],
  ['a schema-violating body (items without ids)', 200, JSON.stringify([{ name: 'no id', type: 'user' }])],
  [
    'a schema-violating body (an object instead of a list)',
    200,
    JSON.stringify({ contacts: [], numbers: 'none', data: null }),
  ],
  ['HTML from a proxy', 200, '<html><body>502 Bad Gateway</body></html>'],
  ['a 404', 404, JSON.stringify({ message: 'not found' })],
];

describe('a provider answering badly never produces a removal plan', () => {
  const cases = Object.entries(CONFIGS).flatMap(([name, config]) =>
    BODIES.map(([what, status, body]) => [name, what, status, body, config] as const),
  );
  it.each(cases)('%s: %s', async (_name, _what, status, body, config) => {
    current = { status, body };
    const time = fakeTime();
    const http = new HttpClient({
      now: time.now,
      sleep: time.sleep,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    try {
      const desired = desiredFrom(config(), { T: 'secret-token-xyz' });
      const { plan } = await makePlan(desired, {
        http,
        now: new Date('2026-11-25T12:00:00Z'),
        validForMs: 3_600_000,
        targets: [],
        allowMassDelete: true,
        concurrency: 2,
        toolVersion: 't',
      });
      expect(plan.actions).toEqual([]);
      expect(plan.errors.length).toBeGreaterThan(0);
      expect(JSON.stringify(plan)).not.toContain('secret-token-xyz');
    } finally {
      await http.close();
    }
  });
});
