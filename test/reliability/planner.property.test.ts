import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Desired, Entry, GreenApiAccountConfig } from '../../src/config/model.js';
import { actionKey } from '../../src/model/action.js';
import type { ItemFacts, ObservedCollection, ObservedItem } from '../../src/model/observed.js';
import { SourceError } from '../../src/shared/source-error.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/** `RELIABILITY_FULL=1` (npm run reliability) runs the long form. */
const FULL = process.env['RELIABILITY_FULL'] === '1';
const RUNS = FULL ? 5000 : 300;

const POOL = Array.from({ length: 24 }, (_, i) => `790000000${String(i).padStart(2, '0')}@c.us`);
const NAMES = ['Alice', 'Team Anna', 'Team Bob', 'VIP Carol', 'spam-1', 'spam-2', ''];
const GROUPS = Array.from({ length: 6 }, (_, i) => `12036304396806656${i}@g.us`);
const INSTANCES = ['1101000001', '1101000002', '1101000003', '1101000004'];
const STATES = ['authorized', 'notAuthorized', 'yellowCard', undefined] as const;

const contactEntry = fc.oneof(
  fc.constantFrom(...POOL).map((id) => JSON.stringify(id)),
  fc
    .constantFrom('"{name: Team *}"', '"{name: VIP *}"', '"{name: spam*}"', '"7900000001?@c.us"', '"790000000*"')
    .map((e) => (e.startsWith('"{') ? e.slice(1, -1) : e)),
);
const groupEntry = fc.constantFrom(...GROUPS).map((g) => JSON.stringify(g));
const list = (arb: fc.Arbitrary<string>) => fc.uniqueArray(arb, { maxLength: 6 }).map((xs) => `[${xs.join(', ')}]`);

const configArb = fc.record({
  contacts: fc.record({
    prune: fc.boolean(),
    keep: list(contactEntry),
    remove: list(contactEntry),
    protect: list(contactEntry),
  }),
  groups: fc.record({ prune: fc.boolean(), keep: list(groupEntry), remove: list(groupEntry), allow: fc.boolean() }),
  instances: fc.record({
    prune: fc.boolean(),
    remove: fc.uniqueArray(fc.constantFrom(...INSTANCES), { maxLength: 3 }),
  }),
});

const worldArb = fc.record({
  contacts: fc.uniqueArray(fc.record({ id: fc.constantFrom(...POOL), name: fc.constantFrom(...NAMES) }), {
    selector: (c) => c.id,
    maxLength: 20,
  }),
  own: fc.option(fc.constantFrom(...POOL), { nil: undefined }),
  groups: fc.uniqueArray(
    fc.record({ id: fc.constantFrom(...GROUPS), isAdmin: fc.boolean(), lastAdmin: fc.boolean() }),
    { selector: (g) => g.id, maxLength: 6 },
  ),
  instances: fc.uniqueArray(fc.record({ id: fc.constantFrom(...INSTANCES), state: fc.constantFrom(...STATES) }), {
    selector: (i) => i.id,
    maxLength: 4,
  }),
  targets: fc.uniqueArray(
    fc.constantFrom(
      '*contact.7900000000*',
      'green-api.main/instance.1101000003',
      '*group.*',
      'green-api.main/instances*',
    ),
    { maxLength: 2 },
  ),
});

type Config = typeof configArb extends fc.Arbitrary<infer T> ? T : never;
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function desiredOf(c: Config): Desired | undefined {
  const yaml = `version: 1
green-api:
  main:
    apiUrl: http://127.0.0.1:9
    partner:
      token: \${P}
      instances: { prune: ${c.instances.prune}, keep: [1101000001], remove: [${c.instances.remove.filter((i) => i !== '1101000001').join(', ')}] }
    instances:
      1101000001:
        token: \${T}
        contacts: { prune: ${c.contacts.prune}, keep: ${c.contacts.keep}, remove: ${c.contacts.remove}, protect: ${c.contacts.protect}, safety: { maxDeletePercent: 100 } }
        groups: { prune: ${c.groups.prune}, allowLastAdminLeave: ${c.groups.allow}, keep: ${c.groups.keep}, remove: ${c.groups.remove}, safety: { maxDeletePercent: 100 } }
`;
  try {
    return desiredFrom(yaml, { P: 'p', T: 't' });
  } catch (err) {
    if (err instanceof SourceError) return undefined; // contradictions the loader refuses: not a plan input
    throw err;
  }
}

function worldOf(w: World): ObservedCollection[] {
  const I = 'green-api.main/instance.1101000001';
  return [
    collection('green-api.main/instances', [
      ['1101000001', 'main', { kind: 'instance', expired: false, state: 'authorized' }],
      ...w.instances
        .filter((i) => i.id !== '1101000001')
        .map((i): [string, string, ItemFacts] => [
          i.id,
          `inst ${i.id}`,
          { kind: 'instance', expired: false, ...(i.state !== undefined ? { state: i.state } : {}) },
        ]),
    ]),
    collection(
      `${I}/contacts`,
      w.contacts.map((c): [string, string] => [c.id, c.name]),
      { ownIds: w.own ? [w.own] : [] },
    ),
    collection(
      `${I}/groups`,
      w.groups.map((g): [string, string, ItemFacts] => [
        g.id,
        'g',
        { kind: 'group', admin: { isAdmin: g.isAdmin || g.lastAdmin, lastAdmin: g.lastAdmin } },
      ]),
    ),
  ];
}

/** What an apply that succeeds does to the observed world. */
function applied(world: ObservedCollection[], removed: Set<string>): ObservedCollection[] {
  return world.map((c) => ({ ...c, items: c.items.filter((i) => !removed.has(i.address)) }));
}

/** Whether one of `entries` names `item`, decided from the entry fields alone (not the planner's matcher). */
function names(entries: readonly Entry[], item: ObservedItem): boolean {
  return entries.some((e) =>
    e.field === 'id' ? (e.exact ? e.pattern === item.id : e.regex.test(item.id)) : e.regex.test(item.name),
  );
}

/** Exact ids (after normalisation) written in a list literal of the arbitrary. */
const exactIds = (list: string): string[] =>
  (JSON.parse(list.replace(/\{name: [^}]*\}/g, '"{}"')) as string[])
    .filter((x) => !/[*?{]/.test(x))
    .map((x) => (x.includes('@') ? x : `${x}@c.us`));

describe('planner properties (fast-check)', () => {
  it('an exact id both kept and removed is a config error, never a plan', () => {
    fc.assert(
      fc.property(configArb, (config) => {
        const kept = new Set(exactIds(config.contacts.keep));
        const both = exactIds(config.contacts.remove).some((id) => kept.has(id));
        if (both) expect(desiredOf(config)).toBeUndefined();
      }),
      { numRuns: RUNS, seed: 20261126 },
    );
  });

  it(
    `holds for ${RUNS} random worlds and configs`,
    () => {
      fc.assert(
        fc.property(configArb, worldArb, (config, w) => {
          const desired = desiredOf(config);
          fc.pre(desired !== undefined);
          const world = worldOf(w);
          const p = plan(desired!, world, { allowMassDelete: true });
          const observed = new Map(world.flatMap((c) => c.items.map((i) => [i.address, { c, i }] as const)));
          const decisions = new Map(
            p.collections.flatMap((c) =>
              c.decisions.map((d) => [`${c.address.slice(0, c.address.lastIndexOf('/'))}|${d.id}`, d]),
            ),
          );

          for (const a of p.actions) {
            // removals ⊆ observed
            const hit = observed.get(a.address);
            expect(hit, a.address).toBeDefined();
            // nothing protected (own number, protect entries, managed instance) is ever removed
            expect(hit!.c.ownIds).not.toContain(a.target.id);
            const decision = decisions.get(
              `${hit!.c.ref.address.slice(0, hit!.c.ref.address.lastIndexOf('/'))}|${a.target.id}`,
            );
            expect(decision?.decision).toBe('remove');
            expect(a.target.id).not.toBe('1101000001');
            // nothing only kept (not also listed under remove) is removed
            if (decision?.rule.startsWith('not kept')) expect(decision.rule).toBe('not kept (prune: true)');
            // dependencies come first
            const index = p.actions.indexOf(a);
            for (const dep of a.dependsOn) expect(p.actions.findIndex((x) => actionKey(x) === dep)).toBeLessThan(index);
          }
          for (const c of p.collections)
            for (const d of c.decisions)
              if (d.decision === 'keep' || d.decision === 'protected')
                expect(p.actions.some((a) => a.target.id === d.id && a.collection === c.address)).toBe(false);

          // the documented precedence, judged here from the entries alone: own number and protect >
          // keep > remove (id, glob or name) > prune. A remove glob never takes a kept item.
          const contacts = world[1]!;
          const policy = (desired!.accounts[0] as GreenApiAccountConfig).instances[0]!.contacts!;
          const decided = new Map(
            p.collections.find((c) => c.address === contacts.ref.address)!.decisions.map((d) => [d.id, d.decision]),
          );
          for (const item of contacts.items) {
            const expected =
              contacts.ownIds.includes(item.id) || names(policy.protect, item)
                ? 'protected'
                : names(policy.keep, item)
                  ? 'keep'
                  : names(policy.remove, item)
                    ? 'remove'
                    : policy.prune
                      ? 'remove'
                      : 'unmanaged';
            expect(decided.get(item.id), `${item.id} "${item.name}"`).toBe(expected);
          }

          // targeting never widens a plan
          const targeted = plan(desired!, world, { allowMassDelete: true, targets: w.targets });
          const all = new Set(p.actions.map(actionKey));
          for (const a of targeted.actions) expect(all.has(actionKey(a))).toBe(true);

          // plan(apply(plan)) is empty: removing what the plan removes converges in one step
          const removed = new Set(p.actions.filter((a) => a.type !== 'logout-instance').map((a) => a.address));
          const again = plan(desired!, applied(world, removed), { allowMassDelete: true });
          expect(again.actions.map(actionKey)).toEqual([]);
        }),
        { numRuns: RUNS, seed: 20261125 },
      );
    },
    FULL ? 900_000 : 120_000,
  );
});
