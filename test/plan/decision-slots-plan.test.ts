import { describe, expect, it } from 'vitest';
import { decideItem } from '../../src/plan/decide.js';
import { allManagedCollections } from '../../src/plan/managed.js';
import { collection, NOW, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The planner keeps one slot per item (plan/decision-slots.ts): a byte while a collection uses at
 * most 255 rules besides its exact keep ids. A collection whose items are decided by 400 different
 * remove entries, 100 exact keep ids and two name globs outgrows the byte while it is being decided;
 * every decision must still be the one `decideItem` gives, item by item.
 */
const C = 'green-api.main/instance.1101000001/contacts';
const id = (n: number) => `7900${String(n).padStart(7, '0')}@c.us`;
const kept = Array.from({ length: 100 }, (_, k) => id(k));
const removed = Array.from({ length: 400 }, (_, k) => id(1000 + k));
const desired = desiredFrom(
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts:\n          prune: false\n          keep: [${[...kept, '{name: Team *}', '{name: Crew *}'].join(', ')}]\n          remove: [${removed.join(', ')}]\n`,
  { T: 'tok' },
);

describe('decision slots in a plan', () => {
  it('a collection of more than 255 rules is decided as decideItem decides each item', () => {
    // Kept ids, removed ids, names kept by either glob, and ids the file does not mention, interleaved.
    const rows: [string, string][] = [];
    for (let k = 0; k < 400; k++) {
      rows.push([removed[k]!, `R${k}`]);
      if (k < 100) rows.push([kept[k]!, `K${k}`]);
      if (k % 7 === 0) rows.push([id(5000 + k), k % 2 ? `Team ${k}` : `Crew ${k}`]);
      if (k % 5 === 0) rows.push([id(9000 + k), `Other ${k}`]);
    }
    const observed = collection(C, rows);
    const p = plan(desired, [observed], { allowMassDelete: true });
    const decisions = p.collections[0]!.decisions;
    expect(decisions.length).toBe(rows.length);
    const managed = allManagedCollections(desired).find((m) => m.ref.address === C)!;
    for (let i = 0; i < observed.items.length; i++) {
      const v = decideItem(managed, observed.ownIds, observed.items[i]!, NOW);
      expect({ decision: decisions.decision(i), rule: decisions.rule(i) }).toEqual({
        decision: v.decision,
        rule: v.rule,
      });
    }
    expect(p.collections[0]!.counts.removed).toBe(400);
    expect(p.actions).toHaveLength(400);
  });
});
