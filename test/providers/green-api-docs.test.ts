import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recentDeletions } from '../../src/apply/journal.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { EmulatorState, GreenInstance, InstanceState } from '../../src/emulator/state.js';
import { exportConfig, observeEverything } from '../../src/engine/export.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { HttpClient } from '../../src/http/client.js';
import type { Action, ActionOutcome } from '../../src/model/action.js';
import { connectAccount } from '../../src/providers/registry.js';
import { perSecond } from '../../src/shared/token-bucket.js';
import { call, emulator } from '../helpers/emulator.js';
import { byAddress, desiredFrom, EXAMPLE_NOW, fakeTime, observeAll, testClient } from '../helpers/world.js';

/**
 * GREEN-API behaviours checked against the provider's published documentation (docs/providers.md
 * names the page of each). Every world here is small and built in the test.
 */

const TOKEN = 'tok-7';
const ID = 7103000001;

function world(instance: Partial<GreenInstance> = {}, extra: Partial<EmulatorState> = {}): EmulatorState {
  return {
    now: EXAMPLE_NOW.toISOString(),
    'green-api': {
      instances: [
        {
          idInstance: ID,
          apiTokenInstance: TOKEN,
          name: 'one',
          state: 'authorized',
          wid: '79990000001@c.us',
          contacts: [],
          groups: [],
          ...instance,
        },
      ],
    },
    ...extra,
  };
}

function config(url: string, contacts: string, groups = ''): string {
  return [
    'version: 1',
    'green-api:',
    '  main:',
    `    apiUrl: ${url}`,
    '    instances:',
    `      ${ID}:`,
    '        token: ${TOKEN}',
    ...(contacts ? [`        contacts: ${contacts}`] : []),
    ...(groups ? [`        groups: ${groups}`] : []),
    '',
  ].join('\n');
}

const CONTACTS = `green-api.main/instance.${ID}/contacts`;

const PLAN = {
  now: EXAMPLE_NOW,
  validForMs: 3_600_000,
  targets: [],
  allowMassDelete: true,
  concurrency: 4,
  toolVersion: 'test',
} as const;

async function planOf(state: EmulatorState, yaml: string, groups = '') {
  const emu = await emulator({ state });
  const http = testClient();
  const desired = desiredFrom(config(emu.url, yaml, groups), { TOKEN });
  const { plan } = await makePlan(desired, { http, ...PLAN });
  await http.close();
  return { plan, emu };
}

/** Plans, then executes every action of the plan through the same sessions (what apply does, without the CLI). */
async function planAndApply(emu: RunningEmulator, yaml: string, groups = '') {
  const http = testClient();
  const desired = desiredFrom(config(emu.url, yaml, groups), { TOKEN });
  const { plan, sessions } = await makePlan(desired, { http, ...PLAN });
  const outcomes: ActionOutcome[] = [];
  for (const a of plan.actions) outcomes.push(...(await sessions.get(`${a.provider}.${a.account}`)!.execute([a])));
  await http.close();
  return { plan, outcomes };
}

/** A GREEN-API look-alike answering `answers[method]` (JSON, status 200 unless given). */
async function lookAlike(
  answers: Record<string, unknown | { status: number; body: unknown }>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const method = /^\/(?:waInstance\d+|partner)\/([A-Za-z]+)\//.exec(req.url ?? '')?.[1] ?? '';
    const answer = answers[method];
    const { status, body } =
      answer !== null && typeof answer === 'object' && 'status' in answer
        ? (answer as { status: number; body: unknown })
        : { status: answer === undefined ? 404 : 200, body: answer ?? { message: 'Not Found' } };
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('issue 12 point 5: the own identity is required, and its variants are protected', () => {
  it('fails the collection when getWaSettings cannot be read (never a plan without the own @lid)', async () => {
    // A GREEN-API look-alike whose getWaSettings fails while the lists answer: the probe of issue 12.
    const server = createServer((req, res) => {
      const path = req.url ?? '';
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path.includes('/getSettings/')) return send(200, { wid: '79990000001@c.us' });
      if (path.includes('/getWaSettings/')) return send(500, { message: 'Internal Server Error' });
      if (path.includes('/getContacts/'))
        return send(200, [
          { id: '555000111222333@lid', name: 'me', type: 'user' },
          { id: '79000000001@c.us', name: 'x', type: 'user' },
        ]);
      return send(404, { message: 'Not Found' });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const http = testClient();
    try {
      const { plan } = await makePlan(desiredFrom(config(url, '{ prune: true }'), { TOKEN }), {
        http,
        now: EXAMPLE_NOW,
        validForMs: 3_600_000,
        targets: [],
        allowMassDelete: true,
        concurrency: 4,
        toolVersion: 'test',
      });
      expect(plan.actions).toEqual([]);
      expect(plan.errors.map((e) => e.collection)).toEqual([CONTACTS]);
      expect(plan.errors[0]!.message).toMatch(/500/);
    } finally {
      await http.close();
      await new Promise((r) => server.close(r));
    }
  });

  it('protects observed ids that are variants of the own number (case, spaces, +, bare digits)', async () => {
    const { plan } = await planOf(world(), '{ prune: true }');
    expect(plan.errors).toEqual([]);
    // The planner judges ids as observed: feed it variants through a synthetic collection.
    const { planActions } = await import('../../src/plan/plan.js');
    const desired = desiredFrom(config('http://127.0.0.1:9', '{ prune: true }'), { TOKEN });
    const variants = ['79990000001', '+79990000001', '79990000001@C.US', ' 79990000001@c.us', '+7 999 000 00 01'];
    const observedWith = (id: string) => [
      {
        ref: { address: CONTACTS, kind: 'contacts' as const, scope: String(ID) },
        items: [id, '79990000002@c.us'].map((x) => ({
          id: x,
          address: `green-api.main/instance.${ID}/contact.${x}`,
          name: '',
          facts: { kind: 'contact' as const },
        })),
        ownIds: ['79990000001@c.us', '555000111222333@lid'],
        notes: [],
      },
    ];
    for (const v of variants) {
      const p = planActions(desired, observedWith(v), {
        now: EXAMPLE_NOW,
        validForMs: 0,
        targets: [],
        allowMassDelete: true,
        toolVersion: 'test',
      });
      // Either the variant is judged the own number, or the collection fails as malformed: never a removal.
      expect(
        p.actions.map((a) => a.target.id),
        v,
      ).not.toContain(v);
      const decided = p.collections[0]?.decisions.find((d) => d.id === v);
      if (decided) expect(decided.rule, v).toBe('own number');
      else expect(p.errors.length, v).toBe(1);
    }
    // And in the planner's own judgement, whatever the input check lets through:
    const { decideItem } = await import('../../src/plan/decide.js');
    const { managedCollections } = await import('../../src/plan/managed.js');
    const managed = managedCollections(desired.accounts[0]!).find((m) => m.ref.kind === 'contacts')!;
    for (const v of variants) {
      const item = { id: v, address: 'x', name: '', facts: { kind: 'contact' as const } };
      expect(decideItem(managed, ['79990000001@c.us'], item, EXAMPLE_NOW).rule, v).toBe('own number');
    }
  });
});

describe('issue 12 point 6: empty getContacts/getChats answers are asked again, as documented', () => {
  it('repeats getContacts and getChats while they answer [] and then reads the real lists', async () => {
    const state = world({ transientEmptyLists: 2, contacts: [{ id: '79000000001@c.us' }, { id: '79000000002@c.us' }] });
    const emu = await emulator({ state });
    const http = testClient();
    const got = byAddress(await observeAll(desiredFrom(config(emu.url, '{ prune: false }'), { TOKEN }), http));
    await http.close();
    expect(got.get(CONTACTS)!.items.map((i) => i.id)).toEqual(['79000000001@c.us', '79000000002@c.us']);
    expect(got.get(CONTACTS)!.unconfirmed).toBeUndefined();
  });

  it('export writes no keep list from a list that stayed empty, and says why', async () => {
    const state = world({ transientEmptyLists: 100, contacts: [{ id: '79000000001@c.us' }] });
    const emu = await emulator({ state });
    const http = testClient();
    const yaml = config(emu.url, '{ prune: true, keep: [ 79000000001@c.us ] }');
    const desired = desiredFrom(yaml, { TOKEN });
    const exported = await observeEverything(
      desired.accounts[0]!,
      connectAccount(desired.accounts[0]!, { http, concurrency: 4 }),
      EXAMPLE_NOW,
    );
    await http.close();
    const contacts = exported.collections.find((c) => c.ref.address === CONTACTS)!;
    expect(contacts.unconfirmed).toMatch(/getContacts answered an empty list 3 times/);
    expect(emu.requests().filter((r) => r.operation === 'getContacts')).toHaveLength(3);
    const out = exportConfig('test.yaml', yaml, [exported]);
    expect(out.text).toContain('79000000001@c.us');
    expect(out.text).not.toMatch(/keep: \[\]/);
    expect(out.notes.join('\n')).toContain(
      `${CONTACTS}: not exported (getContacts answered an empty list 3 times in a row)`,
    );
  });
});

const GROUPS = `green-api.main/instance.${ID}/groups`;
const summary = (actions: readonly Action[]) =>
  actions.map((a) => `${a.type} ${a.target.id}${a.target.phoneChatId ? ` via ${a.target.phoneChatId}` : ''}`);

describe('issue 13 point 1: LID identities', () => {
  const lidWorld = () =>
    world({
      contacts: [
        { id: '79000000001@c.us', lid: '111111111111111@lid', name: 'Kept by phone' },
        { id: '79000000002@c.us', lid: '222222222222222@lid', name: 'Not kept' },
        { id: '333333333333333@lid', name: 'Phone hidden' },
        { id: '79000000004@c.us', name: 'Plain' },
      ],
    });

  it('the emulator lists a contact carrying lid by its LID, gives its phone only in getContactInfo, and deleteContact takes the phone', async () => {
    const emu = await emulator({ state: lidWorld() });
    const base = `/waInstance${ID}`;
    const contacts = await call(emu.url, 'GET', `${base}/getContacts/${TOKEN}`);
    expect(contacts.json.map((c: { id: string }) => c.id)).toEqual([
      '111111111111111@lid',
      '222222222222222@lid',
      '333333333333333@lid',
      '79000000004@c.us',
    ]);
    expect(JSON.stringify(contacts.json)).not.toContain('79000000001');
    const chats = await call(emu.url, 'GET', `${base}/getChats/${TOKEN}`);
    expect(chats.json.map((c: { id: string }) => c.id)).toContain('111111111111111@lid');
    const info = await call(emu.url, 'POST', `${base}/getContactInfo/${TOKEN}`, {
      body: { chatId: '111111111111111@lid' },
    });
    expect(info.json).toMatchObject({ chatId: '111111111111111@lid', phoneNumber: 79000000001 });
    const hidden = await call(emu.url, 'POST', `${base}/getContactInfo/${TOKEN}`, {
      body: { chatId: '333333333333333@lid' },
    });
    expect(hidden.status).toBe(200);
    expect(hidden.json.phoneNumber).toBeUndefined();
    const byLid = await call(emu.url, 'POST', `${base}/deleteContact/${TOKEN}`, {
      body: { chatId: '222222222222222@lid' },
    });
    expect(byLid).toMatchObject({ status: 400, json: { message: 'Validation failed' } });
    expect(
      (await call(emu.url, 'POST', `${base}/deleteContact/${TOKEN}`, { body: { chatId: '79000000002@c.us' } })).json,
    ).toEqual({ deleteContact: true });
  });

  it('under prune: true keeps a LID contact the file keeps by phone, removes one whose phone is not kept, and protects an unresolvable one', async () => {
    const emu = await emulator({ state: lidWorld() });
    const { plan, outcomes } = await planAndApply(emu, '{ prune: true, keep: [ +7 900 000-00-01, 79000000004 ] }');
    const decisions = Object.fromEntries(
      plan.collections[0]!.decisions.map((d) => [d.id, `${d.decision} (${d.rule})`]),
    );
    expect(decisions).toEqual({
      '111111111111111@lid': 'keep (keep: +7 900 000-00-01)',
      '222222222222222@lid': 'remove (not kept (prune: true))',
      '333333333333333@lid': 'protected (unresolved LID)',
      '79000000004@c.us': 'keep (keep: 79000000004)',
    });
    expect(summary(plan.actions)).toEqual(['delete-contact 222222222222222@lid via 79000000002@c.us']);
    expect(plan.warnings).toContainEqual({
      address: CONTACTS,
      message: `1 contact listed only by LID could not be resolved to a phone number (getContactInfo gave none): protected as "unresolved LID", not removed`,
    });
    // The kept phone is not reported missing: it was found behind its LID.
    expect(plan.collections[0]!.missing).toEqual([]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['done']);
    expect([...emu.world().instances.get(ID)!.contacts.keys()].sort()).toEqual([
      '333333333333333@lid',
      '79000000001@c.us',
      '79000000004@c.us',
    ]);
    // getContactInfo (1 request/second) only for the LID contacts a plan might remove: the three LIDs
    // (none is kept by its LID), never for 79000000004@c.us.
    expect(emu.requests().filter((r) => r.operation === 'getContactInfo')).toHaveLength(3);
  });

  it('keep, protect and remove may name a LID directly', async () => {
    const { plan } = await planOf(
      lidWorld(),
      '{ prune: true, keep: [ 333333333333333@lid, 79000000004 ], protect: [ 111111111111111@lid ], remove: [ 222222222222222@lid ] }',
    );
    const decisions = Object.fromEntries(plan.collections[0]!.decisions.map((d) => [d.id, d.rule]));
    expect(decisions['333333333333333@lid']).toBe('keep: 333333333333333@lid');
    expect(decisions['111111111111111@lid']).toBe('protect: 111111111111111@lid');
    expect(decisions['222222222222222@lid']).toBe('listed under remove: 222222222222222@lid');
    expect(summary(plan.actions)).toEqual(['delete-contact 222222222222222@lid via 79000000002@c.us']);
  });
});

describe('issue 13 point 3: answers that mean failure, and group membership', () => {
  it('{leaveGroup: false} while still a participant, {isLogout: false} and {deleteInstanceAccount: false} are failures', async () => {
    const own = '79990000001@c.us';
    const fake = await lookAlike({
      leaveGroup: { leaveGroup: false },
      getGroupData: {
        groupId: '120363000000000001@g.us',
        participants: [{ id: own, isAdmin: false, isSuperAdmin: false }],
      },
      getSettings: { wid: own },
      getWaSettings: { chatId: '' },
      logout: { isLogout: false },
      deleteInstanceAccount: { deleteInstanceAccount: false },
    });
    const http = testClient();
    try {
      const desired = desiredFrom(
        `version: 1\ngreen-api:\n  main:\n    apiUrl: ${fake.url}\n    partner: { token: "\${TOKEN}" }\n    instances:\n      ${ID}: { token: "\${TOKEN}" }\n`,
        { TOKEN },
      );
      const session = connectAccount(desired.accounts[0]!, { http, concurrency: 2 });
      const act = (type: Action['type'], id: string): Action => ({
        address: `green-api.main/instance.${ID}/x.${id}`,
        type,
        provider: 'green-api',
        account: 'main',
        collection: GROUPS,
        target: { id, instance: String(ID) },
        reason: 'test',
        warnings: [],
        dependsOn: [],
      });
      const [leave, logout, del] = await session.execute([
        act('leave-group', '120363000000000001@g.us'),
        act('logout-instance', String(ID)),
        act('delete-instance', String(ID)),
      ]);
      expect(leave).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('still a participant') });
      expect(logout).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('isLogout: false') });
      expect(del).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('deleteInstanceAccount: false') });
    } finally {
      await http.close();
      await fake.close();
    }
  });

  it('a group just left stays in getChats for a minute; membership comes from getGroupData, so it is not planned again', async () => {
    const state = world({
      groups: [
        {
          id: '120363000000000001@g.us',
          subject: 'Old',
          participants: [{ id: '79990000001@c.us' }, { id: '79000000001@c.us', isAdmin: true }],
        },
        {
          id: '120363000000000002@g.us',
          subject: 'Team',
          participants: [{ id: '79990000001@c.us' }, { id: '79000000001@c.us', isAdmin: true }],
        },
      ],
    });
    const emu = await emulator({ state });
    const first = await planAndApply(emu, '', '{ prune: true, keep: [ { name: Team } ] }');
    expect(summary(first.plan.actions)).toEqual(['leave-group 120363000000000001@g.us']);
    expect(first.outcomes.map((o) => o.outcome)).toEqual(['done']);
    const chats = await call(emu.url, 'GET', `/waInstance${ID}/getChats/${TOKEN}`);
    expect(chats.json.map((c: { id: string }) => c.id)).toContain('120363000000000001@g.us');
    const again = await planAndApply(emu, '', '{ prune: true, keep: [ { name: Team } ] }');
    expect(again.plan.actions).toEqual([]);
    expect(again.plan.collections[0]!.decisions.map((d) => d.id)).toEqual(['120363000000000002@g.us']);
  });
});

describe('issue 13 point 5: instance states', () => {
  it('logs out first wherever a linked session may remain; expired and blocked instances get a warned, partial delete', async () => {
    const states: [number, InstanceState, boolean?][] = [
      [7103000011, 'authorized'],
      [7103000012, 'sleepMode'],
      [7103000013, 'starting'],
      [7103000014, 'yellowCard'],
      [7103000015, 'notAuthorized'],
      [7103000016, null],
      [7103000017, 'blocked'],
      [7103000018, 'authorized', true],
    ];
    const state: EmulatorState = {
      now: EXAMPLE_NOW.toISOString(),
      'green-api': {
        partners: [{ token: 'partner-t', instances: states.map(([id]) => id) }],
        instances: states.map(([id, s, expired]) => ({
          idInstance: id,
          apiTokenInstance: `t-${id}`,
          wid: `7999${id}@c.us`.slice(-16),
          state: s,
          ...(expired ? { isExpired: true } : {}),
        })),
      },
    };
    const emu = await emulator({ state });
    const http = testClient();
    const desired = desiredFrom(
      `version: 1\ngreen-api:\n  main:\n    apiUrl: ${emu.url}\n    partner: { token: "\${P}", instances: { prune: true } }\n`,
      { P: 'partner-t' },
    );
    const { plan } = await makePlan(desired, { http, ...PLAN });
    await http.close();
    const types = (id: number) =>
      plan.actions
        .filter((a) => a.target.id === String(id))
        .map((a) => `${a.type}${a.expected ? ` (${a.expected})` : ''}`);
    for (const id of [7103000011, 7103000012, 7103000013, 7103000014])
      expect(types(id), String(id)).toEqual(['logout-instance', 'delete-instance']);
    for (const id of [7103000015, 7103000016]) expect(types(id), String(id)).toEqual(['delete-instance']);
    for (const id of [7103000017, 7103000018]) expect(types(id), String(id)).toEqual(['delete-instance (partial)']);
    expect(
      plan.warnings.map((w) => `${w.address}: ${w.message}`).find((w) => w.includes('instance.7103000018')),
    ).toMatch(/expired.*Linked devices/);
    expect(
      plan.warnings.map((w) => `${w.address}: ${w.message}`).find((w) => w.includes('instance.7103000017')),
    ).toMatch(/blocked.*Linked devices/);
  });

  it("the emulator answers the documented states, sleepMode for older files' suspended, and 400 for an expired account", async () => {
    const emu = await emulator({ state: world({ state: 'suspended' }) });
    expect((await call(emu.url, 'GET', `/waInstance${ID}/getStateInstance/${TOKEN}`)).json).toEqual({
      stateInstance: 'sleepMode',
    });
    const expired = await emulator({ state: world({ isExpired: true }) });
    const r = await call(expired.url, 'GET', `/waInstance${ID}/getContacts/${TOKEN}`);
    expect(r).toMatchObject({
      status: 400,
      json: { message: 'Instance account is expired. Renew your instance from personal area' },
    });
  });
});

describe('issue 13 point 6: instance hosts', () => {
  it('an instance known only from the partner listing is reached at the host the listing gives, not the account apiUrl', async () => {
    const state: EmulatorState = {
      now: EXAMPLE_NOW.toISOString(),
      'green-api': {
        partners: [{ token: 'partner-t', instances: [ID] }],
        instances: [{ idInstance: ID, apiTokenInstance: TOKEN, wid: '79990000001@c.us', state: 'authorized' }],
      },
    };
    const emu = await emulator({ state });
    const listing = await call(emu.url, 'GET', '/partner/getInstances/partner-t');
    expect(listing.json[0]).toMatchObject({
      apiUrl: emu.url,
      timeCreated: '2026-01-15T09:00:00',
      timeDeleted: '0001-01-01T00:00:00',
    });
    const http = testClient();
    // The account's apiUrl is a dead port: only the partner is asked there... except partner.apiUrl points at the emulator.
    const desired = desiredFrom(
      `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    partner: { token: "\${P}", apiUrl: ${emu.url}, instances: { prune: true } }\n`,
      { P: 'partner-t' },
    );
    const { plan, sessions } = await makePlan(desired, { http, ...PLAN });
    expect(summary(plan.actions)).toEqual([`logout-instance ${ID}`, `delete-instance ${ID}`]);
    const outcomes = await sessions.get('green-api.main')!.execute([plan.actions[0]!]);
    await http.close();
    expect(outcomes[0]!.outcome).toBe('done');
    expect(emu.world().instances.get(ID)!.info.state).toBe('notAuthorized');
  });

  it('without a host from the config or the listing, the request is refused and the error names the key to set', async () => {
    const fake = await lookAlike({
      getInstances: [
        {
          idInstance: ID,
          apiTokenInstance: TOKEN,
          deleted: false,
          typeInstance: 'whatsapp',
          timeCreated: '2022-06-03T18:39:44',
        },
      ],
    });
    const http = testClient();
    try {
      const desired = desiredFrom(
        `version: 1\ngreen-api:\n  main:\n    apiUrl: ${fake.url}\n    partner: { token: "\${P}", instances: { prune: true } }\n`,
        { P: 'partner-t' },
      );
      const { plan, sessions } = await makePlan(desired, { http, ...PLAN });
      expect(plan.warnings.map((w) => `${w.address}: ${w.message}`).join('\n')).toContain(
        `instance ${ID}: its API host is unknown`,
      );
      const [out] = await sessions
        .get('green-api.main')!
        .execute([plan.actions.find((a) => a.type === 'logout-instance')!]);
      expect(out!.outcome).toBe('failed');
      expect(out!.detail).toContain(`set green-api.main.instances.${ID}.apiUrl`);
    } finally {
      await http.close();
      await fake.close();
    }
  });
});

describe('issue 13 point 9: a 429 without Retry-After', () => {
  it('the client paces itself: the method interval at its published rate before the retry, not a near-zero jitter (fake clock shared with the emulator)', async () => {
    const time = fakeTime();
    const emu = await emulator({
      state: world({ contacts: [{ id: '79000000001@c.us' }] }),
      rateLimits: { getContacts: perSecond(1) },
      limiterClock: time.now,
    });
    // Two clients on one instance (say, two pipelines): each keeps the published 1/s, together they do not.
    const a = new HttpClient({ now: time.now, sleep: time.sleep, random: () => 0.5 });
    const b = new HttpClient({ now: time.now, sleep: time.sleep, random: () => 0.5 });
    const spec = {
      method: 'GET' as const,
      url: `${emu.url}/waInstance${ID}/getContacts/${TOKEN}`,
      operation: 'getContacts',
      limitKey: `green-api:${ID}:getContacts`,
      limit: perSecond(1),
    };
    const who = { provider: 'green-api', account: 'green-api.main' };
    await a.send(spec, who);
    const second = await b.send(spec, who);
    await Promise.all([a.close(), b.close()]);
    expect(emu.requests().find((r) => r.status === 429)).toBeDefined();
    expect(second).toMatchObject({ status: 200, attempts: 2 });
    // 1000 ms (1/s) + full jitter on the 200 ms base (random 0.5): one retry, not a volley of early ones.
    expect(time.slept).toEqual([1100]);
    expect(emu.requests().map((r) => r.status)).toEqual([200, 429, 200]);
  });
});

describe('issue 13 point 4: propagation lag', () => {
  it('a contact chatstate deleted less than 5 minutes ago, still listed by GetContacts, is shown as deleted and not planned again', async () => {
    const emu = await emulator({
      state: world({ contactsLagMs: 300_000, contacts: [{ id: '79000000001@c.us' }, { id: '79000000002@c.us' }] }),
    });
    const first = await planAndApply(emu, '{ prune: true, keep: [ 79000000001 ] }');
    expect(summary(first.plan.actions)).toEqual(['delete-contact 79000000002@c.us']);
    expect(first.outcomes.map((o) => o.outcome)).toEqual(['done']);
    // The emulator keeps listing it (GetContacts: up to 5 minutes), as the service may.
    const listed = await call(emu.url, 'GET', `/waInstance${ID}/getContacts/${TOKEN}`);
    expect(listed.json.map((c: { id: string }) => c.id)).toContain('79000000002@c.us');

    // The apply journal says when it was deleted; the journal reader gives that to the planner.
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-lag-'));
    const journal = join(dir, 'journal.jsonl');
    const deletedAt = new Date(EXAMPLE_NOW.getTime() - 60_000).toISOString();
    const address = `green-api.main/instance.${ID}/contact.79000000002@c.us`;
    writeFileSync(
      journal,
      `${JSON.stringify({ time: deletedAt, run: 'r', address, type: 'delete-contact', event: 'outcome', outcome: 'done', attempts: 1, status: 200 })}\nnot json\n`,
    );
    const recentlyDeleted = recentDeletions(journal);
    expect(recentlyDeleted.get(address)).toBe(deletedAt);

    const http = testClient();
    const desired = desiredFrom(config(emu.url, '{ prune: true, keep: [ 79000000001 ] }'), { TOKEN });
    const again = await makePlan(desired, { http, ...PLAN, recentlyDeleted });
    expect(again.plan.actions).toEqual([]);
    expect(again.plan.collections[0]!.decisions.find((d) => d.id === '79000000002@c.us')!.rule).toMatch(
      /^deleted, awaiting propagation/,
    );
    // Past the documented lag it is planned again: the deletion did not take.
    const later = await makePlan(desired, {
      http,
      ...PLAN,
      now: new Date(EXAMPLE_NOW.getTime() + 5 * 60_000),
      recentlyDeleted,
    });
    await http.close();
    expect(summary(later.plan.actions)).toEqual(['delete-contact 79000000002@c.us']);
  });
});
