import { columnSource, DecisionColumns, RuleList } from '../model/decision-table.js';
import type { DecisionTable, Plan, PlannedCollection } from '../model/plan.js';

/**
 * The plan file's format version. 2: compact JSON written in pieces, each collection's decisions as
 * columns (below). Version 1 files (pretty JSON, one object per decision) are refused: make a new
 * plan. The plan's information is all there: every observed item's decision and rule.
 */
export const PLAN_FILE_FORMAT_VERSION = 2;

/** A collection's decisions as columns: item i is (ids[i], names[i], decision[i], rules[rule[i]]). */
export interface DecisionColumnsOnDisk {
  readonly ids: readonly string[];
  readonly names: readonly string[];
  /** One letter per item: k keep, r remove, p protected, u unmanaged, n not targeted. */
  readonly decision: string;
  /** Per item, an index into `rules`. */
  readonly rule: readonly number[];
  /** Each distinct rule once. */
  readonly rules: readonly string[];
}

/** One letter per decision code (model/plan.ts DECISION_KINDS order). */
const LETTERS = 'krpun';

/** A table's columns as the file holds them: the rules actually used, in order of first use. */
export function toColumns(table: DecisionTable): DecisionColumnsOnDisk {
  const n = table.length;
  const ids = new Array<string>(n);
  const names = new Array<string>(n);
  const rule = new Array<number>(n);
  const rules: string[] = [];
  const remap = new Map<number, number>();
  let codes = '';
  for (let i = 0; i < n; i++) {
    ids[i] = table.id(i);
    names[i] = table.name(i);
    codes += LETTERS[table.code(i)];
    const r = table.ruleIndex(i);
    let at = remap.get(r);
    if (at === undefined) {
      at = rules.length;
      rules.push(table.rules.text(r));
      remap.set(r, at);
    }
    rule[i] = at;
  }
  return { ids, names, decision: codes, rule, rules };
}

/** The decision table back from its columns, or a reason when the columns disagree. */
export function fromColumns(c: DecisionColumnsOnDisk): DecisionTable | string {
  const n = c.ids.length;
  if (c.names.length !== n || c.decision.length !== n || c.rule.length !== n)
    return 'decision columns of different lengths';
  const codes = new Uint8Array(n);
  const ruleIndex = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const code = LETTERS.indexOf(c.decision[i]!);
    const r = c.rule[i]!;
    if (code < 0) return `unknown decision code ${JSON.stringify(c.decision[i])}`;
    if (!Number.isInteger(r) || r < 0 || r >= c.rules.length) return `rule index ${r} out of range`;
    if (typeof c.ids[i] !== 'string' || typeof c.names[i] !== 'string') return `item ${i} has no id or name`;
    codes[i] = code;
    ruleIndex[i] = r;
  }
  if (!c.rules.every((t) => typeof t === 'string')) return 'a rule is not a string';
  return new DecisionColumns(columnSource(c.ids, c.names), codes, ruleIndex, new RuleList(c.rules));
}

/**
 * The plan file's text in pieces, none of them the whole plan: the header, each action, each
 * collection (its decisions as columns). Joined in order they make one compact JSON object.
 */
export function* planFileChunks(plan: Plan, extra: Readonly<Record<string, unknown>>): Generator<string> {
  const { collections, actions, formatVersion: _version, ...rest } = plan;
  yield `{"formatVersion":${PLAN_FILE_FORMAT_VERSION}`;
  for (const [k, v] of Object.entries({ ...rest, ...extra }))
    if (v !== undefined) yield `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  yield ',"actions":[';
  for (let i = 0; i < actions.length; i++) yield `${i > 0 ? ',' : ''}${JSON.stringify(actions[i])}`;
  yield '],"collections":[';
  for (let i = 0; i < collections.length; i++) {
    const { decisions, ...col } = collections[i]!;
    yield `${i > 0 ? ',' : ''}${JSON.stringify({ ...col, decisions: toColumns(decisions) })}`;
  }
  yield ']}\n';
}

/** A parsed plan file's collections with their decisions as objects again, or a reason why not. */
export function decodeCollections(collections: unknown): PlannedCollection[] | string {
  if (!Array.isArray(collections)) return '/collections is not a list';
  const out: PlannedCollection[] = [];
  for (const [i, c] of collections.entries()) {
    const cols = (c as { decisions?: unknown } | null)?.decisions as DecisionColumnsOnDisk | undefined;
    if (
      !cols ||
      typeof cols !== 'object' ||
      !Array.isArray(cols.ids) ||
      !Array.isArray(cols.names) ||
      typeof cols.decision !== 'string' ||
      !Array.isArray(cols.rule) ||
      !Array.isArray(cols.rules)
    ) {
      return `/collections/${i}/decisions is not a set of decision columns`;
    }
    const decisions = fromColumns(cols);
    if (typeof decisions === 'string') return `/collections/${i}/decisions: ${decisions}`;
    out.push({ ...(c as PlannedCollection), decisions });
  }
  return out;
}
