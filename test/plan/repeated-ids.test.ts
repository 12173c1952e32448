import { describe, expect, it } from 'vitest';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * Ids listed twice (issue 17): the planner proves ids not kept by an exact entry distinct while they
 * come in ascending order, and uses a set only from where the order breaks. Whatever the order, a
 * repeated id must be found and counted once, the first record decided.
 */

const C = 'green-api.main/instance.1101000001/contacts';
const desired = desiredFrom(
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [79000000001@c.us] }\n`,
  { T: 'tok' },
);
const id = (n: number) => `7900000000${n}@c.us`;
const run = (order: number[]) =>
  plan(
    desired,
    [
      collection(
        C,
        order.map((n, i) => [id(n), `N${i}`] as [string, string]),
      ),
    ],
    { allowMassDelete: true },
  );
const shown = (p: ReturnType<typeof run>) =>
  p.collections[0]!.decisions.map((d) => `${d.id.slice(9, 11)} ${d.name} ${d.decision}`);
const duplicateNotes = (p: ReturnType<typeof run>) => p.warnings.filter((w) => w.message.includes('duplicate'));

describe('repeated ids', () => {
  it('ascending ids with none repeated: each decided once, no note', () => {
    const p = run([1, 2, 3, 5, 8]);
    expect(shown(p)).toEqual(['01 N0 keep', '02 N1 remove', '03 N2 remove', '05 N3 remove', '08 N4 remove']);
    expect(duplicateNotes(p)).toEqual([]);
  });

  it('ids out of order with none repeated: each decided once, no note', () => {
    const p = run([5, 2, 1, 9, 3]);
    expect(p.collections[0]!.counts.observed).toBe(5);
    expect(duplicateNotes(p)).toEqual([]);
  });

  it('an id repeated right after itself is found', () => {
    const p = run([2, 2, 3]);
    expect(shown(p)).toEqual(['02 N0 remove', '03 N2 remove']);
    expect(duplicateNotes(p).map((w) => w.message)).toEqual(['the provider listed 1 duplicate id; each counts once']);
  });

  it('an id from the ascending run, repeated after the order breaks, is found', () => {
    const p = run([1, 2, 3, 6, 4, 2, 7]);
    expect(shown(p)).toEqual([
      '01 N0 keep',
      '02 N1 remove',
      '03 N2 remove',
      '06 N3 remove',
      '04 N4 remove',
      '07 N6 remove',
    ]);
    expect(p.collections[0]!.counts.observed).toBe(6);
    expect(p.actions.map((a) => a.target.id.slice(9, 11))).toEqual(['02', '03', '04', '06', '07']);
    expect(duplicateNotes(p)).toHaveLength(1);
  });

  it('an id repeated after the order broke is found', () => {
    const p = run([3, 2, 5, 4, 5]);
    expect(p.collections[0]!.counts.observed).toBe(4);
    expect(duplicateNotes(p)).toHaveLength(1);
  });

  it('an exactly kept id repeated among ascending others is found', () => {
    const p = run([0, 1, 2, 1, 3]);
    expect(shown(p)).toEqual(['00 N0 remove', '01 N1 keep', '02 N2 remove', '03 N4 remove']);
    expect(duplicateNotes(p)).toHaveLength(1);
  });
});
