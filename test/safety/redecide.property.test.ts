import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Action, actionKey } from '../../src/model/action.js';
import type { ItemFacts, ObservedCollection } from '../../src/model/observed.js';
import { redecidePlan } from '../../src/plan/redecide.js';
import { SourceError } from '../../src/shared/source-error.js';
import { collection, NOW, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const FULL = process.env['RELIABILITY_FULL'] === '1';
const RUNS = FULL ? 3000 : 200;
const I = 'green-api.main/instance.1101000001';
const POOL = Array.from({ length: 12 }, (_, i) => `790000000${String(i).padStart(2, '0')}@c.us`);
const NAMES = ['Alice', 'Team Anna', 'VIP Carol', 'spam-1', ''];
const GROUPS = Array.from({ length: 4 }, (_, i) => `12036304396806656${i}@g.us`);

const entry = fc.oneof(
  fc.constantFrom(...POOL).map((id) => JSON.stringify(id)),
  fc.constantFrom('{name: "Team *"}', '{name: "VIP *"}', '"7900000001?@c.us"', '{id: "${V:-79000000099@c.us}"}'),
);
const list = fc.uniqueArray(entry, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`);
const config = fc.record({
  prune: fc.boolean(),
  keep: list,
  remove: list,
  protect: list,
  groupRemove: fc.uniqueArray(fc.constantFrom(...GROUPS), { maxLength: 4 }),
});
const contact = fc.record({ id: fc.constantFrom(...POOL), name: fc.constantFrom(...NAMES) });
const group = fc.record({ id: fc.constantFrom(...GROUPS), lastAdmin: fc.boolean() });
const world = fc.record({
  contacts: fc.uniqueArray(contact, { selector: (c) => c.id, maxLength: 12 }),
  own: fc.option(fc.constantFrom(...POOL), { nil: undefined }),
  groups: fc.uniqueArray(group, { selector: (g) => g.id, maxLength: 4 }),
});
/** What changes between plan and apply: the world, a ${VAR}, and hand edits of the plan file. */
const change = fc.record({
  after: world,
  v: fc.option(fc.constantFrom(...POOL), { nil: undefined }),
  edits: fc.array(
    fc.record({
      index: fc.nat(),
      field: fc.constantFrom('id', 'instance', 'address'),
      value: fc.constantFrom(...POOL, '1101000002', 'x'),
    }),
    { maxLength: 2 },
  ),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function desiredOf(c: typeof config extends fc.Arbitrary<infer T> ? T : never, v: string | undefined) {
  const yaml = `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: ${c.prune}, keep: ${c.keep}, remove: ${c.remove}, protect: ${c.protect}, safety: { maxDeletePercent: 100 } }\n        groups: { remove: [${c.groupRemove.join(', ')}], safety: { maxDeletePercent: 100 } }\n`;
  try {
    return desiredFrom(yaml, { T: 't', ...(v ? { V: v } : {}) });
  } catch (err) {
    if (err instanceof SourceError) return undefined;
    throw err;
  }
}

function observed(w: World): ObservedCollection[] {
  return [
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
        { kind: 'group', admin: { isAdmin: true, lastAdmin: g.lastAdmin } },
      ]),
      { ownIds: w.own ? [w.own] : [] },
    ),
  ];
}

function edit(actions: readonly Action[], edits: readonly { index: number; field: string; value: string }[]): Action[] {
  const out = [...actions];
  for (const e of edits) {
    if (out.length === 0) break;
    const i = e.index % out.length;
    const a = out[i]!;
    out[i] =
      e.field === 'address'
        ? { ...a, address: `${I}/contact.${e.value}` }
        : { ...a, target: { ...a.target, [e.field]: e.value } };
  }
  return out;
}

describe('apply never sends an action a plan made now would not make (property)', () => {
  it(
    `holds for ${RUNS} plans, later worlds, changed variables and hand edits`,
    () => {
      const seen = { sent: 0, stale: 0, refused: 0 };
      fc.assert(
        fc.property(config, world, change, (c, before, { after, v, edits }) => {
          const then = desiredOf(c, undefined);
          const now = desiredOf(c, v);
          fc.pre(then !== undefined && now !== undefined);
          const saved = plan(then!, observed(before), { allowMassDelete: true });
          const tampered = { ...saved, actions: edit(saved.actions, edits) };
          const later = new Date(NOW.getTime() + 60_000);
          const r = redecidePlan(tampered, now!, observed(after), later);
          const fresh = plan(now!, observed(after), { allowMassDelete: true, now: later, validForMs: 0 });
          const freshByKey = new Map(fresh.actions.map((a) => [actionKey(a), a]));
          const refusedLastAdmin = new Set(fresh.refusals.map((x) => x.address));
          if (r.refused.length > 0) {
            seen.refused++;
            return; // nothing at all is sent
          }
          seen.stale += [...r.known.values()].filter((o) => o.stale).length;
          for (const a of tampered.actions) {
            if (r.known.has(actionKey(a))) continue;
            // Sent: a plan made now makes exactly this action, on exactly this resource.
            seen.sent++;
            const same = freshByKey.get(actionKey(a));
            expect(same, actionKey(a)).toBeDefined();
            expect(same!.target.id).toBe(a.target.id);
            expect(same!.target.instance).toBe(a.target.instance);
            expect(refusedLastAdmin.has(a.address)).toBe(false);
            // ...and it was reviewed as such.
            expect(
              saved.actions.some(
                (s) =>
                  actionKey(s) === actionKey(a) &&
                  s.target.id === a.target.id &&
                  s.target.instance === a.target.instance,
              ),
            ).toBe(true);
          }
        }),
        { numRuns: RUNS, seed: 20261127 },
      );
      // The cases are not vacuous: actions were sent, skipped as stale, and refused as edited.
      expect(Math.min(seen.sent, seen.stale, seen.refused)).toBeGreaterThan(0);
    },
    FULL ? 600_000 : 120_000,
  );
});
