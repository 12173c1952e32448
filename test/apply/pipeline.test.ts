import { describe, expect, it } from 'vitest';
import { executeActions } from '../../src/apply/execute-actions.js';
import { windowFor } from '../../src/apply/lane-window.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { HttpClient } from '../../src/http/client.js';
import type { Action } from '../../src/model/action.js';
import { actionKey } from '../../src/model/action.js';
import type { AccountSession } from '../../src/providers/types.js';
import { perSecond } from '../../src/shared/token-bucket.js';
import { emulator } from '../helpers/emulator.js';
import { desiredFrom, EXAMPLE_NOW } from '../helpers/world.js';

const INSTANCE = 1101000001;
const CONTACTS = 60;
const GROUPS = 4;
const contactId = (j: number): string => `7900${String(j).padStart(7, '0')}@c.us`;

/**
 * A fake clock shared by the client's limiter and the emulator's: a sleeper wakes at the time it
 * asked for (the clock moves to the latest wake-up), so a bucket's pacing is exact and free.
 */
function sharedClock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let t = 1_000_000;
  return {
    now: () => t,
    sleep: async (ms) => {
      const wake = t + ms;
      await Promise.resolve();
      t = Math.max(t, wake);
    },
  };
}

/** One instance with contacts and groups to clear, owned by a partner that then deletes it. */
async function setup(latencyMs: number, RATE: number) {
  const clock = sharedClock();
  const arrivals: number[] = [];
  const emu = await emulator({
    latencyMs,
    rateLimits: { deleteContact: perSecond(RATE), '*': 'off' },
    limiterClock: () => {
      arrivals.push(clock.now());
      return clock.now();
    },
    state: {
      'green-api': {
        partners: [{ token: 'gac.partner-9', instances: [INSTANCE] }],
        instances: [
          {
            idInstance: INSTANCE,
            apiTokenInstance: 'tok-9',
            state: 'authorized',
            wid: '79990000001@c.us',
            contacts: Array.from({ length: CONTACTS }, (_, j) => ({ id: contactId(j), name: `c${j}` })),
            groups: Array.from({ length: GROUPS }, (_, g) => ({
              id: `1203630000000000${g}@g.us`,
              subject: `g${g}`,
              owner: '79990000002@c.us',
              creation: 1700000000,
              participants: [
                { id: '79990000001@c.us', isAdmin: false, isSuperAdmin: false },
                { id: '79990000002@c.us', isAdmin: true, isSuperAdmin: true },
              ],
            })),
          },
        ],
      },
    },
  });
  const env = { P: 'gac.partner-9', T: 'tok-9' };
  const head = [
    'version: 1',
    'green-api:',
    '  main:',
    `    apiUrl: ${emu.url}`,
    `    rateLimits: { deleteContact: ${RATE}/s }`,
  ];
  const safety = 'safety: { maxDeletePercent: 100, minItems: 0 }';
  // The instance's own collections (the partner keeps the instance) …
  const inside = desiredFrom(
    [
      ...head,
      `    partner: { token: "\${P}", instances: { prune: false, keep: [${INSTANCE}] } }`,
      '    instances:',
      `      ${INSTANCE}:`,
      '        token: ${T}',
      `        contacts: { prune: true, ${safety} }`,
      `        groups: { prune: true, ${safety} }`,
      '',
    ].join('\n'),
    env,
  );
  // … and the partner deleting it: one lane holds both, the instance's actions first.
  const partner = desiredFrom(
    [...head, `    partner: { token: "\${P}", instances: { prune: true, ${safety} } }`, ''].join('\n'),
    env,
  );
  const http = new HttpClient({ now: clock.now, sleep: clock.sleep, random: () => 0.5, connections: 32 });
  const options = {
    http,
    now: EXAMPLE_NOW,
    validForMs: 3_600_000,
    targets: [],
    allowMassDelete: true,
    concurrency: 4,
    toolVersion: 'test',
  };
  const a = await makePlan(inside, options);
  const b = await makePlan(partner, options);
  const actions = [...a.plan.actions, ...b.plan.actions];
  expect(actions.map((x) => x.type)).toEqual([
    ...Array<string>(GROUPS).fill('leave-group'),
    ...Array<string>(CONTACTS).fill('delete-contact'),
    'logout-instance',
    'delete-instance',
  ]);
  // A session that counts the requests in flight (the real one underneath, over HTTP).
  const real = a.sessions.get('green-api.main')!;
  const stats = { inFlight: 0, maxInFlight: 0, started: [] as string[] };
  const session: AccountSession = {
    observe: (refs, hooks) => real.observe(refs, hooks),
    requestsFor: (xs) => real.requestsFor(xs),
    maxBatch: (t) => real.maxBatch(t),
    execute: async (xs) => {
      stats.started.push(...xs.map(actionKey));
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        return await real.execute(xs);
      } finally {
        stats.inFlight--;
      }
    },
  };
  arrivals.length = 0;
  const before = emu.requests().length;
  return { emu, http, actions, sessions: new Map([['green-api.main', session]]), stats, arrivals, before };
}

describe('pipelined apply lanes', () => {
  it('keeps several requests of a lane in flight, every dependency, and the journal in plan order', async () => {
    const t = await setup(40, 100);
    const reported: Action[] = [];
    const result = await executeActions(t.actions, {
      sessions: t.sessions,
      concurrency: 4,
      onOutcome: (a) => reported.push(a),
    });
    await t.http.close();
    expect([...result.outcomes.values()].every((o) => o.outcome === 'done')).toBe(true);
    // Pipelined: more than one request of the lane was in flight at once.
    expect(t.stats.maxInFlight).toBeGreaterThan(1);
    // Reported (journal) order is plan order, as a sequential run would write it.
    expect(reported.map(actionKey)).toEqual(t.actions.map(actionKey));
    // At the emulator: every leave and contact delete answered before the logout arrived, the logout before the delete.
    const ops = t.emu
      .requests()
      .slice(t.before)
      .map((q) => q.operation);
    const logout = ops.indexOf('logout');
    const del = ops.indexOf('deleteInstanceAccount');
    expect(ops.lastIndexOf('leaveGroup')).toBeLessThan(ops.indexOf('deleteContact'));
    expect(ops.lastIndexOf('deleteContact')).toBeLessThan(logout);
    expect(logout).toBeLessThan(del);
    expect(ops.filter((o) => o === 'deleteContact')).toHaveLength(CONTACTS);
  });

  it("never exceeds the lane's bucket: requests per second counted at the emulator with its clock", async () => {
    const RATE = 10;
    const t = await setup(40, RATE);
    await executeActions(t.actions, { sessions: t.sessions, concurrency: 4, onOutcome: () => undefined });
    await t.http.close();
    const log = t.emu.requests().slice(t.before);
    expect(log.filter((q) => q.status === 429)).toEqual([]);
    expect(t.arrivals).toHaveLength(CONTACTS);
    // A bucket of RATE/s with a burst of RATE admits at most RATE + RATE requests in any second.
    for (const start of t.arrivals) {
      const inWindow = t.arrivals.filter((x) => x >= start && x < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(RATE + RATE);
    }
    // 60 deletions at 10/s after a burst of 10 take at least 5 s of the shared clock.
    expect(Math.max(...t.arrivals) - Math.min(...t.arrivals)).toBeGreaterThanOrEqual(
      ((CONTACTS - RATE) / RATE) * 1000 * 0.97,
    );
    expect(t.stats.maxInFlight).toBeLessThanOrEqual(windowFor(perSecond(RATE), 2_000));
  });

  it('starts nothing new once interrupted (SIGINT), finishes and reports what is in flight', async () => {
    const t = await setup(40, 100);
    const stop = new AbortController();
    const reported: string[] = [];
    let startedAfterAbort = 0;
    const session = t.sessions.get('green-api.main')!;
    const watched: AccountSession = {
      ...session,
      observe: session.observe,
      requestsFor: session.requestsFor,
      maxBatch: session.maxBatch,
      execute: (xs) => {
        if (stop.signal.aborted) startedAfterAbort++;
        return session.execute(xs);
      },
    };
    const result = await executeActions(t.actions, {
      sessions: new Map([['green-api.main', watched]]),
      concurrency: 4,
      signal: stop.signal,
      onOutcome: (a) => {
        reported.push(actionKey(a));
        if (reported.length === 10) stop.abort();
      },
    });
    await t.http.close();
    expect(result.interrupted).toBe(true);
    expect(startedAfterAbort).toBe(0);
    // Everything started was finished and reported, in plan order; nothing else was.
    expect(reported).toEqual(t.stats.started);
    expect(reported).toEqual(t.actions.slice(0, reported.length).map(actionKey));
    expect(reported.length).toBeLessThan(t.actions.length);
    expect(
      t.emu
        .requests()
        .slice(t.before)
        .filter((q) => q.operation === 'logout'),
    ).toEqual([]);
  });
});

describe('lane window', () => {
  it('is rate × round trip + 1, bounded, and 1 before a round trip is known', () => {
    expect(windowFor(perSecond(50), undefined)).toBe(1);
    expect(windowFor(perSecond(50), 20)).toBe(2);
    expect(windowFor(perSecond(50), 100)).toBe(6);
    expect(windowFor(perSecond(50), 60_000)).toBe(16);
    expect(windowFor(perSecond(2), 100)).toBe(2);
    expect(windowFor({ perSecond: 1000, burst: 3 }, 100)).toBe(4);
    expect(windowFor('off', 5)).toBe(16);
  });
});
