import { describe, expect, it } from 'vitest';
import { executeActions } from '../../src/apply/execute-actions.js';
import { MAX_WINDOW, windowFor } from '../../src/apply/lane-window.js';
import { buildLanes, laneOf } from '../../src/apply/lanes.js';
import type { HttpRequestSpec } from '../../src/http/client.js';
import { type Action, type ActionOutcome, type ActionType, actionKey } from '../../src/model/action.js';
import type { ProviderType } from '../../src/model/provider.js';
import type { AccountSession } from '../../src/providers/types.js';
import { perSecond, type RateLimit } from '../../src/shared/token-bucket.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The lane scheduler (apply/lanes.ts, lane-window.ts, execute-actions.ts) in-process: the session is
 * a scripted one whose requests the test settles by hand, in whatever order it likes, so the tests
 * see exactly what was in flight when each request started. No HTTP: requestsFor/execute are the
 * provider-facing seam, and the scheduler never looks further.
 */

const GA = 'green-api.main';
const I1 = `${GA}/instance.1101000001`;
const I2 = `${GA}/instance.1101000002`;

function act(type: ActionType, address: string, extra: Partial<Action> = {}): Action {
  const provider = address.split('.')[0] as ProviderType;
  const account = address.slice(provider.length + 1).split('/')[0]!;
  const id = address.slice(address.lastIndexOf('/') + 1).replace(/^[a-z]+\./, '');
  const instance = /instance\.(\d+)\//.exec(address)?.[1];
  const kind = type === 'leave-group' ? 'groups' : type.endsWith('-instance') ? 'instances' : 'contacts';
  const parent = kind === 'instances' ? `${provider}.${account}` : address.slice(0, address.lastIndexOf('/'));
  return {
    address,
    type,
    provider,
    account,
    collection: `${parent}/${kind}`,
    target: { id, ...(instance ? { instance } : {}) },
    reason: 'test',
    warnings: [],
    dependsOn: [],
    ...extra,
  };
}

const contact = (instance: string, n: number): Action =>
  act('delete-contact', `${instance}/contact.7900000000${n}@c.us`);
const group = (instance: string, n: number): Action =>
  act('leave-group', `${instance}/group.12036300000000000${n}@g.us`);

interface Call {
  readonly actions: readonly Action[];
  /** Action keys settled (outcome reported) when this request started. */
  readonly settledBefore: ReadonlySet<string>;
  /** Requests in flight when this one started, itself included. */
  readonly inFlight: number;
  finish: (outcome?: ActionOutcome['outcome']) => void;
}

/** A session whose requests wait for the test to finish them. */
function scriptedSession(options: { limit?: RateLimit | 'off'; maxBatch?: number; settled: Set<string> }) {
  const calls: Call[] = [];
  const open = new Set<Call>();
  const session: AccountSession = {
    observe: async () => [],
    maxBatch: () => options.maxBatch ?? 1,
    requestsFor: (actions): HttpRequestSpec[] => [
      {
        method: 'POST',
        url: `https://example.test/${actions[0]!.type}`,
        operation: actions[0]!.type,
        limitKey: 'test',
        limit: options.limit ?? 'off',
      },
    ],
    execute: (actions) =>
      new Promise<ActionOutcome[]>((resolve) => {
        const call: Call = {
          actions,
          settledBefore: new Set(options.settled),
          inFlight: open.size + 1,
          finish: (outcome = 'done') => {
            open.delete(call);
            resolve(actions.map((a) => ({ address: a.address, outcome, attempts: 1 })));
          },
        };
        open.add(call);
        calls.push(call);
      }),
  };
  return { session, calls, open };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs executeActions and settles requests one at a time, the most recent first (the least
 * favourable order for keeping plan order), until the run ends. `fail` names actions that fail.
 * `clock` advances by `rttMs` before every settlement: the fake monotonic clock of the lanes.
 */
async function run(
  actions: readonly Action[],
  opts: {
    limit?: RateLimit | 'off';
    maxBatch?: number;
    fail?: ReadonlySet<string>;
    rttMs?: number;
    known?: Map<string, ActionOutcome>;
  } = {},
) {
  const settled = new Set<string>();
  const reported: string[] = [];
  const s = scriptedSession({ settled, ...opts });
  let t = 0;
  let done = false;
  const result = executeActions(actions, {
    sessions: new Map([[GA, s.session]]),
    concurrency: 4,
    now: () => t,
    ...(opts.known ? { known: opts.known } : {}),
    onOutcome: (a, o) => {
      settled.add(actionKey(a));
      reported.push(`${actionKey(a)} ${o.outcome}${o.detail ? ` (${o.detail})` : ''}`);
    },
  }).finally(() => {
    done = true;
  });
  for (let guard = 0; !done; guard++) {
    if (guard > 10_000) throw new Error('the run never finished');
    await tick();
    if (done) break;
    const last = [...s.open].at(-1);
    if (!last) continue;
    t += opts.rttMs ?? 100;
    last.finish(last.actions.some((a) => opts.fail?.has(actionKey(a))) ? 'failed' : 'done');
  }
  return { ...(await result), calls: s.calls, reported };
}

describe('lanes: what runs in order', () => {
  it('one lane per GREEN-API instance (its partner instance actions included), one per Wabotify or 2Chat account', () => {
    expect(laneOf(contact(I1, 1))).toBe(I1);
    expect(laneOf(group(I1, 1))).toBe(I1);
    expect(laneOf(act('logout-instance', `${GA}/instance.1101000001`))).toBe(I1);
    expect(laneOf(act('delete-instance', `${GA}/instance.1101000001`))).toBe(I1);
    expect(laneOf(act('delete-contact', 'wabotify.sales/contact.c-1'))).toBe('wabotify.sales');
    expect(laneOf(act('delete-number', '2chat.support/number.+5215533334444'))).toBe('2chat.support');
  });

  it('keeps plan order inside a lane and batches only consecutive actions of one type and collection, up to maxBatch', () => {
    const w = (n: number) => act('delete-contact', `wabotify.sales/contact.c-${n}`);
    const other = act('delete-contact', 'wabotify.other/contact.c-9');
    const actions = [w(1), w(2), other, w(3), act('leave-group', 'wabotify.sales/group.g-1'), w(4), w(5), w(6)];
    const lanes = buildLanes(actions, (a) => (a.provider === 'wabotify' ? 2 : 1));
    const units = (lane: string) => lanes.get(lane)!.map((u) => u.map((a) => a.target.id).join('+'));
    expect([...lanes.keys()]).toEqual(['wabotify.sales', 'wabotify.other']);
    expect(units('wabotify.sales')).toEqual(['c-1+c-2', 'c-3', 'g-1', 'c-4+c-5', 'c-6']);
    expect(units('wabotify.other')).toEqual(['c-9']);
    // maxBatch 1: one request per action, in plan order.
    expect(
      buildLanes(actions, () => 1)
        .get('wabotify.sales')!
        .map((u) => u.length),
    ).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('executeActions: dependency order inside a lane', () => {
  it("every group's leave and contact delete settles before the instance's logout starts; the logout before the delete", async () => {
    const logout = act('logout-instance', `${GA}/instance.1101000001`);
    const del = act('delete-instance', `${GA}/instance.1101000001`, { dependsOn: [actionKey(logout)] });
    const actions = [group(I1, 1), group(I1, 2), contact(I1, 1), contact(I1, 2), contact(I1, 3), logout, del];
    const r = await run(actions);
    const callOf = (a: Action) => r.calls.find((c) => c.actions.includes(a))!;
    const before = (a: Action) => actions.slice(0, actions.indexOf(a)).map(actionKey);
    // Several contacts were in flight together (the window opened), so the barrier is what held the logout back.
    expect(Math.max(...r.calls.map((c) => c.inFlight))).toBeGreaterThan(1);
    for (const a of [actions[2]!, logout, del])
      expect([...callOf(a).settledBefore]).toEqual(expect.arrayContaining(before(a)));
    expect(callOf(logout).inFlight).toBe(1);
    expect(callOf(del).inFlight).toBe(1);
    // Reported in plan order although requests were settled most recent first.
    expect(r.reported).toEqual(actions.map((a) => `${actionKey(a)} done`));
    expect(r.calls.map((c) => c.actions.map((a) => a.type).join('+'))).toEqual(actions.map((a) => a.type));
  });

  it('a failed logout skips the delete that depends on it, naming it; other lanes and independent actions go on', async () => {
    const desired = desiredFrom(
      [
        'version: 1',
        'green-api:',
        '  main:',
        '    apiUrl: http://127.0.0.1:9',
        '    partner: { token: "${P}", instances: { prune: false, remove: [1101000001] } }',
        '    instances:',
        '      1101000002: { token: "${T}", contacts: { prune: false, remove: ["79000000001@c.us", "79000000002@c.us"] } }',
        '',
      ].join('\n'),
      { P: 'p', T: 't' },
    );
    const observed = [
      collection(`${GA}/instances`, [['1101000001', 'old', { kind: 'instance', expired: false, state: 'authorized' }]]),
      collection(`${I2}/contacts`, [['79000000001@c.us'], ['79000000002@c.us']]),
    ];
    const made = plan(desired, observed, { allowMassDelete: true });
    // The planner's own dependency: the instance is logged out before it is deleted.
    expect(made.actions.map((a) => `${a.type} ${a.address} <- ${a.dependsOn.join(',')}`)).toEqual([
      `delete-contact ${I2}/contact.79000000001@c.us <- `,
      `delete-contact ${I2}/contact.79000000002@c.us <- `,
      `logout-instance ${I1} <- `,
      `delete-instance ${I1} <- logout-instance:${I1}`,
    ]);
    const r = await run(made.actions, { fail: new Set([`logout-instance:${I1}`]) });
    // Two lanes run side by side: compare per action, not the interleaving.
    expect(r.reported.filter((line) => line.includes(`${I1} `))).toEqual([
      `logout-instance:${I1} failed`,
      `delete-instance:${I1} skipped (not attempted: logout-instance:${I1} did not succeed)`,
    ]);
    expect(r.reported.filter((line) => line.includes(I2))).toEqual([
      `delete-contact:${I2}/contact.79000000001@c.us done`,
      `delete-contact:${I2}/contact.79000000002@c.us done`,
    ]);
    expect(r.reported).toHaveLength(4);
    // The skipped delete was never sent.
    expect(r.calls.flatMap((c) => c.actions.map((a) => a.type))).not.toContain('delete-instance');
  });

  it('a dependency skipped before any request (stale) skips its dependents too; one --target left out does not block', async () => {
    const logout = act('logout-instance', `${GA}/instance.1101000001`);
    const del = act('delete-instance', `${GA}/instance.1101000001`, { dependsOn: [actionKey(logout)] });
    const known = new Map<string, ActionOutcome>([
      [
        actionKey(logout),
        { address: logout.address, outcome: 'skipped', attempts: 0, stale: true, detail: 'not sent: x' },
      ],
    ]);
    const r = await run([logout, del], { known });
    expect(r.reported).toEqual([
      `logout-instance:${I1} skipped (not sent: x)`,
      `delete-instance:${I1} skipped (not attempted: logout-instance:${I1} did not succeed)`,
    ]);
    expect(r.calls).toEqual([]);
    // A plan targeting only the delete: its dependency is not in the plan, so nothing blocks it.
    const alone = await run([del]);
    expect(alone.reported).toEqual([`delete-instance:${I1} done`]);
  });
});

describe('executeActions: the window of requests in flight', () => {
  it('is 1 until a round trip is measured, then rate × round trip + 1 (50/s × 100 ms → 6), never more', async () => {
    const actions = Array.from({ length: 40 }, (_, n) => act('delete-contact', `${I1}/contact.790000${n}@c.us`));
    const r = await run(actions, { limit: perSecond(50), rttMs: 100 });
    expect(windowFor(perSecond(50), 100)).toBe(6);
    expect(r.calls[0]!.inFlight).toBe(1);
    expect(r.calls[1]!.settledBefore.size).toBe(1);
    expect(Math.max(...r.calls.map((c) => c.inFlight))).toBe(6);
    expect(r.reported).toEqual(actions.map((a) => `${actionKey(a)} done`));
  });

  it('without a rate limit the window stops at MAX_WINDOW', async () => {
    const actions = Array.from({ length: 60 }, (_, n) => act('delete-contact', `${I1}/contact.790000${n}@c.us`));
    const r = await run(actions, { limit: 'off', rttMs: 100 });
    expect(MAX_WINDOW).toBe(16);
    expect(Math.max(...r.calls.map((c) => c.inFlight))).toBe(MAX_WINDOW);
  });

  it('a batch is one request: the Wabotify lane sends 100 contacts per request', async () => {
    const actions = Array.from({ length: 250 }, (_, n) => act('delete-contact', `wabotify.sales/contact.c-${n}`));
    const settled = new Set<string>();
    const s = scriptedSession({ settled, maxBatch: 100 });
    const reported: string[] = [];
    const result = executeActions(actions, {
      sessions: new Map([['wabotify.sales', s.session]]),
      concurrency: 1,
      now: () => 0,
      onOutcome: (a) => reported.push(a.address),
    });
    let done = false;
    void result.finally(() => {
      done = true;
    });
    for (let guard = 0; !done; guard++) {
      if (guard > 1000) throw new Error('the lane never finished');
      await tick();
      for (const c of s.open) c.finish();
    }
    await result;
    expect(s.calls.map((c) => c.actions.length)).toEqual([100, 100, 50]);
    expect(reported).toEqual(actions.map((a) => a.address));
  });
});
