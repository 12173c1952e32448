import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmulatorState, TwoChatAccount, TwoChatMessage, TwoChatNumber } from '../../src/emulator/state.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { HttpClient } from '../../src/http/client.js';
import type { Action } from '../../src/model/action.js';
import { call, emulator, exampleState } from '../helpers/emulator.js';
import { byAddress, desiredFrom, EXAMPLE_NOW, fakeTime, observeAll, testClient } from '../helpers/world.js';

/**
 * 2Chat behaviours checked against its published documentation (docs/providers.md names the page of
 * each). Worlds are built here; the clock is the example world's (2026-11-25T12:00:00Z).
 */

const KEY = 'UAK-9';
const OWN = '+5215511112222';
const NUMBER_UUID = 'WPN00000000-0000-4000-8000-000000000000';
const hoursAgo = (h: number): string => new Date(EXAMPLE_NOW.getTime() - h * 3_600_000).toISOString();
const zonelessHoursAgo = (h: number): string => hoursAgo(h).slice(0, 19).replace('T', ' ');
const phoneOf = (i: number): string => `+52155000${String(i).padStart(5, '0')}`;

function world(account: Partial<TwoChatAccount> = {}, number: Partial<TwoChatNumber> = {}): EmulatorState {
  return {
    now: EXAMPLE_NOW.toISOString(),
    '2chat': {
      accounts: [
        {
          apiKey: KEY,
          numbers: [{ uuid: NUMBER_UUID, phone_number: OWN, messages: [], ...number }],
          contacts: [],
          ...account,
        },
      ],
    },
  };
}

function config(url: string, body: string[]): string {
  return [
    'version: 1',
    '2chat:',
    '  support:',
    '    apiKey: ${K}',
    `    apiUrl: ${url}/open`,
    ...body.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

async function planOf(url: string, body: string[], http = testClient()) {
  const { plan } = await makePlan(desiredFrom(config(url, body), { K: KEY }), {
    http,
    now: EXAMPLE_NOW,
    validForMs: 0,
    targets: [],
    allowMassDelete: true,
    concurrency: 4,
    toolVersion: 'test',
  });
  await http.close();
  return plan;
}

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A 2Chat look-alike answering `pages(path)` for list requests (hostile pagination). */
async function lookAlike(answer: (path: string, query: URLSearchParams) => unknown): Promise<string> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body =
      url.pathname === '/open/info'
        ? { success: true, limits: { requests_per_minute: 6000 } }
        : answer(url.pathname, url.searchParams);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('2Chat lists are paginated: every page of every list is read', () => {
  const sixty = (): TwoChatNumber[] =>
    Array.from({ length: 60 }, (_, i) => ({
      uuid: `WPN${String(i + 1).padStart(8, '0')}-0000-4000-8000-000000000000`,
      phone_number: phoneOf(i + 1),
      messages: [],
    }));

  it('the emulator pages get-numbers as documented: results_per_page defaults to 50, count answers each page', async () => {
    const state = world();
    state['2chat']!.accounts![0]!.numbers = sixty();
    const emu = await emulator({ state });
    const get = (q: string) =>
      call(emu.url, 'GET', `/open/whatsapp/get-numbers${q}`, { headers: { 'x-user-api-key': KEY } });
    const first = (await get('')).json;
    expect(first).toMatchObject({ success: true, count: 50 });
    expect(first.numbers).toHaveLength(50);
    const second = (await get('?page_number=1')).json;
    expect(second).toMatchObject({ count: 10 });
    expect(second.numbers[4].phone_number).toBe(phoneOf(55));
    expect((await get('?page_number=0&results_per_page=100')).json.numbers).toHaveLength(60);
    expect((await get('?results_per_page=0')).status).toBe(400);
  });

  it('a world with 60 numbers plans the removal of the 55th, and protects a contact carrying it (own numbers from every page)', async () => {
    const state = world({
      contacts: [
        { uuid: 'CON-55', first_name: 'Line', last_name: '55', phone: phoneOf(55) },
        { uuid: 'CON-x', first_name: 'Someone', last_name: 'Else', phone: '+447700900123' },
      ],
    });
    state['2chat']!.accounts![0]!.numbers = sixty();
    const emu = await emulator({ state });
    const plan = await planOf(emu.url, [
      `numbers: { remove: [ "${phoneOf(55)}" ] }`,
      'contacts: { prune: true, keep: [] }',
    ]);
    expect(plan.errors).toEqual([]);
    expect(plan.actions.filter((a) => a.type === 'delete-number').map((a) => a.target.id)).toEqual([phoneOf(55)]);
    const contacts = plan.collections.find((c) => c.address === '2chat.support/contacts')!;
    expect(contacts.decisions.find((d) => d.id === 'CON-55')!.decision).toBe('protected');
    expect(plan.actions.filter((a) => a.type === 'delete-contact').map((a) => a.target.id)).toEqual(['CON-x']);
    const numbers = plan.collections.find((c) => c.address === '2chat.support/numbers')!;
    expect(numbers.counts.observed).toBe(60);
  });

  it('fails the collection when the pages disagree with count, or repeat (never a shorter list)', async () => {
    const number = (i: number) => ({ uuid: `WPN-${i}`, phone_number: phoneOf(i) });
    const cases: Record<string, (page: number) => unknown> = {
      // count says 49 items on a page of 50, and no total explains it
      'count disagrees': (page) =>
        page === 0
          ? { success: true, count: 49, numbers: Array.from({ length: 50 }, (_, i) => number(i)) }
          : { success: true, count: 0, numbers: [] },
      // page_number ignored: the same page again
      'pages repeat': () => ({ success: true, count: 50, numbers: Array.from({ length: 50 }, (_, i) => number(i)) }),
    };
    for (const [name, page] of Object.entries(cases)) {
      const url = await lookAlike((path, q) =>
        path.endsWith('/get-numbers')
          ? page(Number(q.get('page_number') ?? 0))
          : { success: true, count: 0, contacts: [] },
      );
      const http = testClient();
      const got = byAddress(
        await observeAll(desiredFrom(config(url, ['numbers: { remove: [ "+5215500000001" ] }']), { K: KEY }), http),
      );
      await http.close();
      const numbers = got.get('2chat.support/numbers')!;
      expect(numbers.error?.message, name).toMatch(/numbers: /);
      expect(numbers.items, name).toEqual([]);
    }
  });

  it('accepts count as the size of the whole list too, the same on every page', async () => {
    const number = (i: number) => ({ uuid: `WPN-${i}`, phone_number: phoneOf(i) });
    const url = await lookAlike((_path, q) => {
      const page = Number(q.get('page_number') ?? 0);
      return {
        success: true,
        count: 60,
        numbers: Array.from({ length: page === 0 ? 50 : page === 1 ? 10 : 0 }, (_, i) => number(page * 50 + i)),
      };
    });
    const http = testClient();
    const got = byAddress(
      await observeAll(desiredFrom(config(url, ['numbers: { remove: [ "+5215500000001" ] }']), { K: KEY }), http),
    );
    await http.close();
    expect(got.get('2chat.support/numbers')!.items).toHaveLength(60);
  });

  it('reads every page of contacts, and fails them when a page repeats', async () => {
    const state = world({
      contacts: Array.from({ length: 230 }, (_, i) => ({
        uuid: `CON-${i}`,
        first_name: `C${i}`,
        phone: phoneOf(1000 + i),
      })),
    });
    const emu = await emulator({ state });
    const http = testClient();
    const got = byAddress(
      await observeAll(desiredFrom(config(emu.url, ['contacts: { prune: true, keep: [] }']), { K: KEY }), http),
    );
    await http.close();
    expect(got.get('2chat.support/contacts')!.items).toHaveLength(230);

    const url = await lookAlike((path) =>
      path.endsWith('/contacts')
        ? { success: true, count: 100, contacts: Array.from({ length: 100 }, (_, i) => ({ uuid: `CON-${i}` })) }
        : { success: true, count: 0, numbers: [] },
    );
    const http2 = testClient();
    const bad = byAddress(
      await observeAll(desiredFrom(config(url, ['contacts: { prune: true, keep: [] }']), { K: KEY }), http2),
    );
    await http2.close();
    expect(bad.get('2chat.support/contacts')!.error?.message).toMatch(/contacts: /);
  });
});

describe('2Chat groups and inbound messages', () => {
  const G1 = '120363000000000001@g.us';
  const G2 = '120363000000000002@g.us';
  const message = (
    uuid: string,
    remote: string,
    sent_by: TwoChatMessage['sent_by'],
    extra: Partial<TwoChatMessage> = {},
  ): TwoChatMessage => ({
    uuid,
    remote,
    created_at: hoursAgo(5),
    sent_by,
    ...(remote.endsWith('@g.us') ? { group: true } : {}),
    ...extra,
  });
  const messages = [
    message('MSG-own-direct', '+5215500000001', 'api'),
    message('MSG-in-direct', '+5215500000001', 'user'),
    message('MSG-in-g1', G1, 'user'),
    message('MSG-own-g1', G1, 'agent'),
    message('MSG-in-g2', G2, 'user'),
  ];

  it("the emulator lists a number's groups, their participants with wa_is_admin, and their messages", async () => {
    const emu = await emulator({ state: world({}, { messages, groups: [{ id: G2, name: 'Ops', admin: true }] }) });
    const headers = { 'x-user-api-key': KEY };
    const groups = (await call(emu.url, 'GET', `/open/whatsapp/groups/${encodeURIComponent(OWN)}`, { headers })).json;
    expect(groups).toMatchObject({ success: true, count: 2 });
    const byId = new Map<string, any>(groups.data.map((g: any) => [g.wa_group_id, g]));
    expect(byId.get(G2)).toMatchObject({ wa_group_name: 'Ops', channel_uuid: NUMBER_UUID });
    expect(byId.get(G1).uuid).toMatch(/^WAG[0-9a-f]{8}-/);
    const detail = (await call(emu.url, 'GET', `/open/whatsapp/group/${byId.get(G2).uuid}`, { headers })).json;
    expect(detail.data.participants).toContainEqual(expect.objectContaining({ phone_number: OWN, wa_is_admin: true }));
    const g1 = (await call(emu.url, 'GET', `/open/whatsapp/group/${byId.get(G1).uuid}`, { headers })).json;
    expect(g1.data.participants).toContainEqual(
      expect.objectContaining({ phone_number: OWN, wa_is_admin: false, wa_is_super_admin: false }),
    );
    const list = (
      await call(emu.url, 'GET', `/open/whatsapp/groups/messages/${byId.get(G1).uuid}?page_number=0`, { headers })
    ).json;
    expect(list.messages.map((m: any) => m.uuid).sort()).toEqual(['MSG-in-g1', 'MSG-own-g1']);
    // Inbound messages: WhatsApp keeps them unless the number is an admin of the group.
    const del = (uuid: string, session: string) =>
      call(emu.url, 'DELETE', `/open/whatsapp/message/${encodeURIComponent(session)}/${uuid}`, { headers });
    await del('MSG-in-direct', `WW-${NUMBER_UUID}-5215500000001@c.us`);
    await del('MSG-in-g2', `WW-${NUMBER_UUID}-${G2}`);
    await del('MSG-in-g1', `WW-${NUMBER_UUID}-${G1}`);
    const state = (await call(emu.url, 'GET', '/__emulator/state')).json;
    expect(state['2chat'].accounts[0].numbers[0].retainedOnWhatsApp.sort()).toEqual(['MSG-in-direct', 'MSG-in-g1']);
  });

  it('plans inbound messages as partial with their hazard, except in groups where the number is an admin', async () => {
    const emu = await emulator({ state: world({}, { messages, groups: [{ id: G2, admin: true }] }) });
    const plan = await planOf(emu.url, ['messages:', `  "${OWN}": { olderThan: 1h }`]);
    expect(plan.errors).toEqual([]);
    const byId = new Map<string, Action>(plan.actions.map((a) => [a.target.id, a]));
    expect(byId.size).toBe(5);
    expect(byId.get('MSG-own-direct')!.expected).toBeUndefined();
    expect(byId.get('MSG-own-g1')!.expected).toBeUndefined();
    expect(byId.get('MSG-in-g2')!.expected).toBeUndefined();
    expect(byId.get('MSG-in-direct')).toMatchObject({
      expected: 'partial',
      warnings: [expect.stringMatching(/only the sender/)],
    });
    expect(byId.get('MSG-in-g1')).toMatchObject({
      expected: 'partial',
      warnings: [expect.stringMatching(/not an admin/)],
    });
    // Admin rights were read once per group with an inbound message to remove, from the group endpoints.
    const ops = emu.requests().map((r) => r.operation);
    expect(ops.filter((o) => o === 'group-participants')).toHaveLength(2);
    expect(ops).toContain('list-groups');
    expect(ops.filter((o) => o === 'list-group-messages')).toHaveLength(2);
  });

  it('state files from before groups existed keep their meaning: a message marked admin: true is in a group the number administers', async () => {
    const emu = await emulator({ state: exampleState() });
    const http = testClient();
    const { plan: p } = await makePlan(
      desiredFrom(config(emu.url, ['messages:', `  "${OWN}": { olderThan: 1h }`]), { K: 'UAK-1' }),
      {
        http,
        now: EXAMPLE_NOW,
        validForMs: 0,
        targets: [],
        allowMassDelete: true,
        concurrency: 4,
        toolVersion: 'test',
      },
    );
    await http.close();
    const byId = new Map<string, Action>(p.actions.map((a) => [a.target.id, a]));
    // ...ba7: another member's message in 120363099999999992@g.us, where the state says admin: true.
    expect(byId.get('MSG205dec10-523d-4ab3-b739-fd56e7cdeba7')!.expected).toBeUndefined();
    // ...ba5: another member's message in 120363099999999991@g.us, admin: false.
    expect(byId.get('MSG205dec10-523d-4ab3-b739-fd56e7cdeba5')!.expected).toBe('partial');
  });
});

describe('2Chat rate limits: the documented plan limits', () => {
  const many = { contacts: Array.from({ length: 1450 }, (_, i) => ({ uuid: `CON-${i}`, first_name: `C${i}` })) };
  const contactsConfig = ['contacts: { prune: false, remove: [ CON-1 ] }'];

  async function observedWith(account: Partial<TwoChatAccount>) {
    const emu = await emulator({ state: world({ ...many, ...account }) });
    const time = fakeTime();
    const http = new HttpClient({ now: time.now, sleep: time.sleep, random: () => 0.5 });
    const got = byAddress(await observeAll(desiredFrom(config(emu.url, contactsConfig), { K: KEY }), http));
    await http.close();
    const requests = emu.requests().filter((r) => r.provider === '2chat' && r.operation !== 'info').length;
    const slept = time.slept.reduce((a, b) => a + b, 0);
    return { contacts: got.get('2chat.support/contacts')!, requests, slept };
  }

  it('when GET /open/info fails, every call still goes out, paced at the lowest documented limit (10/min)', async () => {
    const { contacts, requests, slept } = await observedWith({ infoStatus: 404 });
    expect(contacts.error).toBeUndefined();
    expect(contacts.items).toHaveLength(1450);
    expect(contacts.notes.join(' ')).toMatch(/10\/minute/);
    // 15 contact pages + the own numbers: past a burst of 10, one request every 6 s.
    expect(requests).toBe(16);
    expect(slept).toBeGreaterThanOrEqual((requests - 10) * 6000 * 0.9);
  });

  it('a trial account is paced at 10/min even when info publishes more; a paid one at what info says', async () => {
    const trial = await observedWith({ onTrial: true, requestsPerMinute: 80 });
    expect(trial.contacts.error).toBeUndefined();
    expect(trial.slept).toBeGreaterThanOrEqual((trial.requests - 10) * 6000 * 0.9);
    const paid = await observedWith({ requestsPerMinute: 80 });
    expect(paid.slept).toBe(0);
  });

  it('the emulator says so in GET /open/info: on_trial and 10 requests per minute for a trial', async () => {
    const emu = await emulator({ state: world({ onTrial: true }) });
    expect((await call(emu.url, 'GET', '/open/info', { headers: { 'x-user-api-key': KEY } })).json).toMatchObject({
      account: { on_trial: true },
      limits: { requests_per_minute: 10 },
    });
  });
});

describe('2Chat channel_type WW and created_at YYYY-MM-DD HH:MM:SS', () => {
  it('the emulator writes numbers as documented (channel_type WW, created_at without a zone)', async () => {
    const emu = await emulator({ state: world({}, { created_at: '2022-10-31T22:05:44Z' }) });
    const n = (await call(emu.url, 'GET', '/open/whatsapp/get-numbers', { headers: { 'x-user-api-key': KEY } })).json
      .numbers[0];
    expect(n).toMatchObject({ channel_type: 'WW', created_at: '2022-10-31 22:05:44' });
  });

  it('judges the 60-hour window and retention safely from a time without a zone (when unsure: partial, later removal)', async () => {
    const messages: TwoChatMessage[] = [
      { uuid: 'MSG-50h', remote: '+5215500000001', created_at: zonelessHoursAgo(50), sent_by: 'api' },
      { uuid: 'MSG-30h', remote: '+5215500000001', created_at: zonelessHoursAgo(30), sent_by: 'api' },
      { uuid: 'MSG-100h', remote: '+5215500000001', created_at: zonelessHoursAgo(100), sent_by: 'api' },
    ];
    const emu = await emulator({ state: world({ messageTimes: 'zoneless' }, { messages }) });
    const raw = (
      await call(emu.url, 'GET', `/open/whatsapp/messages/${encodeURIComponent(OWN)}`, {
        headers: { 'x-user-api-key': KEY },
      })
    ).json.messages;
    expect(raw.map((m: any) => m.created_at)).toContain(zonelessHoursAgo(30));
    const plan = await planOf(emu.url, ['messages:', `  "${OWN}": { olderThan: 1h }`]);
    expect(plan.errors).toEqual([]);
    const byId = new Map<string, Action>(plan.actions.map((a) => [a.target.id, a]));
    // 50 h by the clock, up to 64 h by the zone: WhatsApp may keep it.
    expect(byId.get('MSG-50h')).toMatchObject({
      expected: 'partial',
      warnings: [expect.stringMatching(/without a time zone/)],
    });
    // 30 h by the clock: at most 44 h, inside the window.
    expect(byId.get('MSG-30h')!.expected).toBeUndefined();
    expect(byId.get('MSG-100h')!.expected).toBe('partial');
    // Retention waits for the youngest reading: 30 h by the clock may be 18 h, so "older than 20h" would be early.
    const plan2 = await planOf(emu.url, ['messages:', `  "${OWN}": { olderThan: 25h }`]);
    expect(plan2.actions.map((a) => a.target.id).sort()).toEqual(['MSG-100h', 'MSG-50h']);
  });
});
