import type { Decision, DecisionKind, Plan, PlannedCollection } from '../model/plan.js';

/**
 * The plan file's format version. 2: compact JSON written in pieces, each collection's decisions as
 * columns (below). Version 1 files (pretty JSON, one object per decision) are refused: make a new
 * plan. The plan's information is all there: every observed item's decision and rule.
 */
export const PLAN_FILE_FORMAT_VERSION = 2;

/** A collection's decisions as columns: item i is (ids[i], names[i], decision[i], rules[rule[i]]). */
export interface DecisionColumns {
  readonly ids: readonly string[];
  readonly names: readonly string[];
  /** One letter per item: k keep, r remove, p protected, u unmanaged, n not targeted. */
  readonly decision: string;
  /** Per item, an index into `rules`. */
  readonly rule: readonly number[];
  /** Each distinct rule once. */
  readonly rules: readonly string[];
}

const CODE: Readonly<Record<DecisionKind, string>> = {
  keep: 'k',
  remove: 'r',
  protected: 'p',
  unmanaged: 'u',
  'not-targeted': 'n',
};
const KIND: Readonly<Record<string, DecisionKind>> = {
  k: 'keep',
  r: 'remove',
  p: 'protected',
  u: 'unmanaged',
  n: 'not-targeted',
};

export function toColumns(decisions: readonly Decision[]): DecisionColumns {
  const ids: string[] = [];
  const names: string[] = [];
  const codes: string[] = [];
  const rule: number[] = [];
  const rules: string[] = [];
  const ruleIndex = new Map<string, number>();
  for (const d of decisions) {
    ids.push(d.id);
    names.push(d.name);
    codes.push(CODE[d.decision]);
    let r = ruleIndex.get(d.rule);
    if (r === undefined) {
      r = rules.length;
      rules.push(d.rule);
      ruleIndex.set(d.rule, r);
    }
    rule.push(r);
  }
  return { ids, names, decision: codes.join(''), rule, rules };
}

/** The decisions back from their columns, or a reason when the columns disagree. */
export function fromColumns(c: DecisionColumns): Decision[] | string {
  const n = c.ids.length;
  if (c.names.length !== n || c.decision.length !== n || c.rule.length !== n)
    return 'decision columns of different lengths';
  const out: Decision[] = new Array<Decision>(n);
  for (let i = 0; i < n; i++) {
    const decision = KIND[c.decision[i]!];
    const rule = c.rules[c.rule[i]!];
    if (decision === undefined) return `unknown decision code ${JSON.stringify(c.decision[i])}`;
    if (rule === undefined) return `rule index ${c.rule[i]} out of range`;
    out[i] = { id: c.ids[i]!, name: c.names[i]!, decision, rule };
  }
  return out;
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
    const cols = (c as { decisions?: unknown } | null)?.decisions as DecisionColumns | undefined;
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
