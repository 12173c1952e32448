import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exportConfig, observeEverything } from '../../src/engine/export.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { connectAccount } from '../../src/providers/registry.js';
import type { EmulatorState, GreenInstance } from '../../src/emulator/state.js';
import { emulator } from '../helpers/emulator.js';
import { byAddress, desiredFrom, EXAMPLE_NOW, observeAll, testClient } from '../helpers/world.js';

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
      instances: [{ idInstance: ID, apiTokenInstance: TOKEN, name: 'one', state: 'authorized', wid: '79990000001@c.us', contacts: [], groups: [], ...instance }],
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

async function planOf(state: EmulatorState, yaml: string) {
  const emu = await emulator({ state });
  const http = testClient();
  const desired = desiredFrom(config(emu.url, yaml), { TOKEN });
  const { plan } = await makePlan(desired, { http, now: EXAMPLE_NOW, validForMs: 3_600_000, targets: [], allowMassDelete: true, concurrency: 4, toolVersion: 'test' });
  await http.close();
  return { plan, emu };
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
      if (path.includes('/getContacts/')) return send(200, [{ id: '555000111222333@lid', name: 'me', type: 'user' }, { id: '79000000001@c.us', name: 'x', type: 'user' }]);
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
    const variants = ['79990000001', '+79990000001', '79990000001@C.US', ' 79990000001@c.us', '+7 999 000 00 01', '79990000002@c.us'];
    const observed = [
      {
        ref: { address: CONTACTS, kind: 'contacts' as const, scope: String(ID) },
        items: variants.map((id) => ({ id, address: `green-api.main/instance.${ID}/contact.${id}`, name: '', facts: { kind: 'contact' as const } })),
        ownIds: ['79990000001@c.us', '555000111222333@lid'],
        notes: [],
      },
    ];
    const p = planActions(desired, observed, { now: EXAMPLE_NOW, validForMs: 0, targets: [], allowMassDelete: true, toolVersion: 'test' });
    const decisions = Object.fromEntries(p.collections[0]!.decisions.map((d) => [d.id, d.rule]));
    for (const v of variants.slice(0, 5)) expect(decisions[v], v).toBe('own number');
    expect(decisions['79990000002@c.us']).toBe('not kept (prune: true)');
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
    const exported = await observeEverything(desired.accounts[0]!, connectAccount(desired.accounts[0]!, { http, concurrency: 4 }), EXAMPLE_NOW);
    await http.close();
    const contacts = exported.collections.find((c) => c.ref.address === CONTACTS)!;
    expect(contacts.unconfirmed).toMatch(/getContacts answered an empty list 3 times/);
    expect(emu.requests().filter((r) => r.operation === 'getContacts')).toHaveLength(3);
    const out = exportConfig('test.yaml', yaml, [exported]);
    expect(out.text).toContain('79000000001@c.us');
    expect(out.text).not.toMatch(/keep: \[\]/);
    expect(out.notes.join('\n')).toContain(`${CONTACTS}: not exported (getContacts answered an empty list 3 times in a row)`);
  });
});
