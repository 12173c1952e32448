import { describe, expect, it } from 'vitest';
import { DecisionSlots, KEPT_BY_ID } from '../../src/plan/decision-slots.js';

/** A decider whose rule r has code r % 5, and whose exact keep ids name rule 1000 + their number. */
const decider = {
  keptRule: (id: string) => 1000 + Number(id.slice(3)),
  rules: { code: (r: number) => r % 5 },
};
const itemsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id-${i}` }));

describe('DecisionSlots', () => {
  it('reads back every rule set, through widening to 16 and 32 bits', () => {
    const n = 100_000;
    const items = itemsOf(n);
    const slots = new DecisionSlots(new Uint8Array(n), 0, items, decider);
    // Every third item is kept by its id (slot 0, left as the zeroed column has it); the others get
    // a rule of their own, so the slots outgrow a byte (at 256) and 16 bits (at 65,536).
    const expected: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) expected.push(1000 + i);
      else {
        const r = 2000 + i;
        slots.set(i, r);
        expected.push(r);
      }
    }
    expect(slots.column).toBeInstanceOf(Uint32Array);
    for (let i = 0; i < n; i++) {
      expect(slots.ruleIndex(i)).toBe(expected[i]);
      expect(slots.code(i)).toBe(i % 3 === 0 ? 0 : expected[i]! % 5);
    }
  });

  it('gives a rule the same slot each time, and finds positions by code', () => {
    const items = itemsOf(6);
    const slots = new DecisionSlots(new Uint8Array(6), 0, items, decider);
    const a = slots.slot(7);
    expect(slots.slot(7)).toBe(a);
    expect(a).not.toBe(KEPT_BY_ID);
    slots.set(1, 7); // code 2
    slots.set(2, 12); // code 2
    slots.set(4, 9); // code 4
    expect(slots.column).toBeInstanceOf(Uint8Array);
    expect(slots.positions(2)).toEqual([1, 2]);
    expect(slots.positions(4)).toEqual([4]);
    // Items left at slot 0 are kept by their id: code 0, their rule found from the id.
    expect(slots.positions(0)).toEqual([0, 3, 5]);
    expect(slots.ruleIndex(5)).toBe(1005);
    // A rule moved (as --target and the propagation lag do): the new rule and its code.
    slots.set(4, 13);
    expect(slots.ruleIndex(4)).toBe(13);
    expect(slots.positions(4)).toEqual([]);
    expect(slots.positions(3)).toEqual([4]);
  });
});
