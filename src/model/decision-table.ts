import { DECISION_KINDS, type Decision, type DecisionKind, type DecisionTable, type RuleTable } from './plan.js';

/** A rule table over a list of texts (a plan file's `rules`, or rows made by hand). */
export class RuleList implements RuleTable {
  readonly #texts: readonly string[];
  constructor(texts: readonly string[]) {
    this.#texts = texts;
  }
  get length(): number {
    return this.#texts.length;
  }
  text(r: number): string {
    const t = this.#texts[r];
    if (t === undefined) throw new RangeError(`no rule ${r}`);
    return t;
  }
}

/** How a table reads item i's id and name: from the observed items (planner) or from columns (plan file). */
export interface ItemSource {
  readonly length: number;
  id(i: number): string;
  name(i: number): string;
}

/** The observed items themselves: the table keeps no copy of ids or names. */
class ItemsSource implements ItemSource {
  readonly #items: readonly { readonly id: string; readonly name: string }[];
  constructor(items: readonly { readonly id: string; readonly name: string }[]) {
    this.#items = items;
  }
  get length(): number {
    return this.#items.length;
  }
  id(i: number): string {
    return this.#items[i]!.id;
  }
  name(i: number): string {
    return this.#items[i]!.name;
  }
}

/** A class rather than closures: the planner makes one per collection. */
export const itemSource = (items: readonly { readonly id: string; readonly name: string }[]): ItemSource =>
  new ItemsSource(items);

/** Two string columns (a plan file's `ids` and `names`). */
export const columnSource = (ids: readonly string[], names: readonly string[]): ItemSource => ({
  length: ids.length,
  id: (i) => ids[i]!,
  name: (i) => names[i]!,
});

/** Per item a decision code (an index into DECISION_KINDS) and a rule index. */
export interface DecisionColumn {
  readonly length: number;
  code(i: number): number;
  ruleIndex(i: number): number;
}

/** A code column and a rule index column (a plan file's, or rows made by hand). */
class CodeAndRuleColumns implements DecisionColumn {
  readonly #codes: Uint8Array;
  readonly #ruleIndex: Uint16Array | Uint32Array;
  constructor(codes: Uint8Array, ruleIndex: Uint16Array | Uint32Array) {
    this.#codes = codes;
    this.#ruleIndex = ruleIndex;
  }
  get length(): number {
    return this.#codes.length;
  }
  code(i: number): number {
    return this.#codes[i]!;
  }
  ruleIndex(i: number): number {
    return this.#ruleIndex[i]!;
  }
}

/**
 * The columnar decision table (model/plan.ts `DecisionTable`): per item a decision code and a rule
 * index (into `rules`), from a `DecisionColumn` (the planner's one byte per item, plan/decision-slots.ts)
 * or from two columns (`codes`, an index into DECISION_KINDS, and `ruleIndex`); ids and names are read
 * from where they already are. A `Decision` row is made only when one is read. Storage is private, so
 * two tables compare (and print as JSON) by their rows.
 */
export class DecisionColumns implements DecisionTable {
  readonly #items: ItemSource;
  readonly #column: DecisionColumn;
  readonly #rules: RuleTable;

  constructor(items: ItemSource, column: DecisionColumn, rules: RuleTable);
  constructor(items: ItemSource, codes: Uint8Array, ruleIndex: Uint16Array | Uint32Array, rules: RuleTable);
  constructor(
    items: ItemSource,
    columnOrCodes: DecisionColumn | Uint8Array,
    rulesOrRuleIndex: RuleTable | Uint16Array | Uint32Array,
    rules?: RuleTable,
  ) {
    let column: DecisionColumn;
    if (columnOrCodes instanceof Uint8Array) {
      const ruleIndex = rulesOrRuleIndex as Uint16Array | Uint32Array;
      if (ruleIndex.length !== columnOrCodes.length) throw new RangeError('decision columns of different lengths');
      column = new CodeAndRuleColumns(columnOrCodes, ruleIndex);
    } else column = columnOrCodes;
    if (column.length !== items.length) throw new RangeError('decision columns of different lengths');
    this.#items = items;
    this.#column = column;
    this.#rules = rules ?? (rulesOrRuleIndex as RuleTable);
  }

  get length(): number {
    return this.#column.length;
  }
  get rules(): RuleTable {
    return this.#rules;
  }
  id(i: number): string {
    return this.#items.id(i);
  }
  name(i: number): string {
    return this.#items.name(i);
  }
  code(i: number): number {
    return this.#column.code(i);
  }
  decision(i: number): DecisionKind {
    return DECISION_KINDS[this.#column.code(i)]!;
  }
  ruleIndex(i: number): number {
    return this.#column.ruleIndex(i);
  }
  rule(i: number): string {
    return this.#rules.text(this.#column.ruleIndex(i));
  }
  at(i: number): Decision {
    return { id: this.id(i), name: this.name(i), decision: this.decision(i), rule: this.rule(i) };
  }
  *[Symbol.iterator](): Iterator<Decision> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
  map<T>(f: (d: Decision, i: number) => T): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = f(this.at(i), i);
    return out;
  }
  find(f: (d: Decision, i: number) => boolean): Decision | undefined {
    for (let i = 0; i < this.length; i++) {
      const d = this.at(i);
      if (f(d, i)) return d;
    }
    return undefined;
  }
  filter(f: (d: Decision, i: number) => boolean): Decision[] {
    const out: Decision[] = [];
    for (let i = 0; i < this.length; i++) {
      const d = this.at(i);
      if (f(d, i)) out.push(d);
    }
    return out;
  }
  /** `plan --format json` shows one object per decision, as it always has. */
  toJSON(): Decision[] {
    return this.map((d) => d);
  }
}

const CODE_OF: ReadonlyMap<DecisionKind, number> = new Map(DECISION_KINDS.map((k, i) => [k, i]));

/** The code of a decision kind (its index in DECISION_KINDS). */
export function decisionCode(kind: DecisionKind): number {
  const c = CODE_OF.get(kind);
  if (c === undefined) throw new RangeError(`unknown decision ${JSON.stringify(kind)}`);
  return c;
}

/** A table from decision rows (rules shared by text): plans made by hand, tests. */
export function decisionTable(rows: readonly Decision[]): DecisionColumns {
  const codes = new Uint8Array(rows.length);
  const ruleIndex = new Uint32Array(rows.length);
  const texts: string[] = [];
  const index = new Map<string, number>();
  rows.forEach((d, i) => {
    codes[i] = decisionCode(d.decision);
    let r = index.get(d.rule);
    if (r === undefined) {
      r = texts.length;
      texts.push(d.rule);
      index.set(d.rule, r);
    }
    ruleIndex[i] = r;
  });
  return new DecisionColumns(
    columnSource(
      rows.map((d) => d.id),
      rows.map((d) => d.name),
    ),
    codes,
    ruleIndex,
    new RuleList(texts),
  );
}

/** The empty table (a collection that could not be observed). */
export const NO_DECISIONS: DecisionColumns = decisionTable([]);
