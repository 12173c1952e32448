import type { DecisionColumn } from '../model/decision-table.js';

/** What the slots ask of the collection's decider. */
export interface SlotDecider {
  /** The rule of an item decided by the exact keep entry naming its id. */
  keptRule(id: string): number;
  readonly rules: { code(r: number): number };
}

/** Slots found by a scan of the slot rules up to this many; by a map past it. */
const SCANNED_SLOTS = 16;

/** Slot 0 of every collection: kept by the exact keep entry that names the item's id. */
export const KEPT_BY_ID = 0;

/**
 * A collection's decisions as the planner makes them: one slot per item, and per slot a rule and its
 * decision code. Slot 0 (`KEPT_BY_ID`) is "kept by the exact keep entry naming the item's id": that
 * entry is found again from the id when the rule is read, so a keep list of 100,000 exact ids takes
 * one slot, not 100,000. The other rules a collection uses take a slot each, the first time. Slots
 * are a byte per item while a collection uses at most 255 other rules, then 16 or 32 bits (the
 * column is widened when a slot no longer fits).
 *
 * One byte per item, not a code byte and a 16-bit rule index: the planner writes a million of them,
 * and memory written for the first time costs a page fault per 4 KiB.
 */
export class DecisionSlots implements DecisionColumn {
  #column: Uint8Array | Uint16Array | Uint32Array;
  /** Per slot, its rule (slot 0: found from the item's id) and its decision code. */
  readonly #slotRules: number[];
  readonly #slotCodes: number[];
  /** Rule → slot, once there are more than SCANNED_SLOTS (most collections use a handful). */
  #slotOf: Map<number, number> | undefined;
  /** Slots in use (the arrays above may be longer). */
  #slots = 1;
  readonly #items: readonly { readonly id: string }[];
  readonly #decider: SlotDecider;

  /** `column`: zeroed, one byte per item of `items`. `keptCode`: the decision code of slot 0. */
  constructor(column: Uint8Array, keptCode: number, items: readonly { readonly id: string }[], decider: SlotDecider) {
    this.#column = column;
    // Literals, not growing arrays: a collection uses a handful of slots, and the planner makes 1,000
    // of these (each array that grows allocates its storage again).
    this.#slotRules = [-1, -1, -1, -1, -1, -1, -1, -1];
    this.#slotCodes = [keptCode, -1, -1, -1, -1, -1, -1, -1];
    this.#items = items;
    this.#decider = decider;
  }

  get length(): number {
    return this.#column.length;
  }

  /** The slot column, to write slots into (read it again after `slot`: it may have been widened). */
  get column(): Uint8Array | Uint16Array | Uint32Array {
    return this.#column;
  }

  code(i: number): number {
    return this.#slotCodes[this.#column[i]!]!;
  }

  ruleIndex(i: number): number {
    const s = this.#column[i]!;
    return s === KEPT_BY_ID ? this.#decider.keptRule(this.#items[i]!.id) : this.#slotRules[s]!;
  }

  /** The slot of rule `r` (never `KEPT_BY_ID`), made the first time; the column is widened when needed. */
  slot(r: number): number {
    const rules = this.#slotRules;
    if (this.#slotOf !== undefined) {
      const known = this.#slotOf.get(r);
      if (known !== undefined) return known;
    } else for (let k = 1; k < this.#slots; k++) if (rules[k] === r) return k;
    const s = this.#slots++;
    rules[s] = r;
    this.#slotCodes[s] = this.#decider.rules.code(r);
    if (this.#slotOf !== undefined) this.#slotOf.set(r, s);
    else if (this.#slots > SCANNED_SLOTS)
      this.#slotOf = new Map(rules.slice(0, this.#slots).map((rule, k) => [rule, k]));
    if (s === 0x100) this.#widen(new Uint16Array(this.#column.length));
    else if (s === 0x10000) this.#widen(new Uint32Array(this.#column.length));
    return s;
  }

  /** Decides item `i` by rule `r` (not by the exact keep entry of its id: that is slot 0). */
  set(i: number, r: number): void {
    const s = this.slot(r);
    this.#column[i] = s;
  }

  /** Positions (in observed order) of the items decided `code`. */
  positions(code: number): number[] {
    const out: number[] = [];
    const column = this.#column;
    const codes = this.#slotCodes;
    for (let i = 0; i < column.length; i++) if (codes[column[i]!] === code) out.push(i);
    return out;
  }

  #widen(to: Uint16Array | Uint32Array): void {
    to.set(this.#column);
    this.#column = to;
  }
}
