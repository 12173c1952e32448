import { DECISION_KINDS, type DecisionTable, type Plan } from '../model/plan.js';
import { type Masker, maskJson, NO_MASK } from './mask.js';
import { summaryLine } from './summary.js';

/** The counts behind the summary line, for machines: never "no changes" without saying what was not observed. */
export function planSummary(plan: Plan) {
  const count = (f: (a: Plan['actions'][number]) => boolean) => plan.actions.filter(f).length;
  return {
    text: summaryLine(plan),
    actions: plan.actions.length,
    reversible: count((a) => a.reversible === true),
    irreversible: count((a) => a.type !== 'logout-instance' && a.reversible !== true),
    unobserved: plan.errors.length,
    unobservedCollections: plan.errors.map((e) => e.collection),
    notTargeted: plan.collections.filter((c) => c.status === 'not-targeted').map((c) => c.address),
  };
}

/**
 * Up to this many decisions and actions, the JSON is indented throughout (as `JSON.stringify(plan,
 * null, 2)`). A larger plan keeps the same keys and structure but writes each decision and each
 * action on one line: still one record per line for people, grep and diff, in about 70% of the bytes
 * (docs/architecture.md, "Plan JSON").
 */
export const INDENT_ALL_UP_TO = 10_000;

/** How a plan's JSON is laid out: `indented` throughout, or one `line` per decision and action. */
export type JsonLayout = 'indented' | 'lines';

export function jsonLayout(plan: Pick<Plan, 'collections' | 'actions'>): JsonLayout {
  let items = plan.actions.length;
  for (const c of plan.collections) items += c.decisions.length;
  return items <= INDENT_ALL_UP_TO ? 'indented' : 'lines';
}

const pad = (depth: number): string => '  '.repeat(depth);

/** `JSON.stringify(value, null, 2)` as it reads at `depth` (strings never hold a raw newline). */
function indented(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return depth === 0 ? text : text.replace(/\n/g, `\n${pad(depth)}`);
}

/** A list read by index: an array, or a collection's DecisionTable. */
interface Rows {
  readonly length: number;
  at(i: number): unknown;
}

/** The records of a list at `depth`: indented, or one line each (`line(i)` when given). */
function* records(
  items: Rows,
  depth: number,
  layout: JsonLayout,
  line: (i: number) => string = (i) => JSON.stringify(items.at(i)) ?? 'null',
): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  const open = `\n${pad(depth + 1)}`;
  yield '[';
  for (let i = 0; i < items.length; i++) {
    const item = layout === 'lines' ? line(i) : indented(items.at(i), depth + 1);
    yield i === 0 ? `${open}${item}` : `,${open}${item}`;
  }
  yield `\n${pad(depth)}]`;
}

/**
 * One decision row as JSON.stringify writes `table.at(i)` (keys id, name, decision, rule), from the
 * columns: no row object, and each rule's JSON made once per collection.
 */
function decisionLines(table: DecisionTable): (i: number) => string {
  const rules = new Map<number, string>();
  const kinds = DECISION_KINDS.map((k) => JSON.stringify(k));
  return (i) => {
    const r = table.ruleIndex(i);
    let rule = rules.get(r);
    if (rule === undefined) {
      rule = JSON.stringify(table.rules.text(r));
      rules.set(r, rule);
    }
    return `{"id":${JSON.stringify(table.id(i))},"name":${JSON.stringify(table.name(i))},"decision":${kinds[table.code(i)]},"rule":${rule}}`;
  };
}

const isDecisionTable = (v: unknown): v is DecisionTable =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as DecisionTable).ruleIndex === 'function';

/**
 * An object at `depth` member by member, in its own key order (members that are `undefined` left
 * out, as JSON.stringify does); `inner` writes the members it knows, the others are indented.
 */
function* members(
  value: Readonly<Record<string, unknown>>,
  depth: number,
  inner: (key: string, member: unknown) => Iterable<string> | undefined,
): Generator<string> {
  let first = true;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === undefined || typeof member === 'function') continue;
    yield `${first ? '{' : ','}\n${pad(depth + 1)}${JSON.stringify(key)}: `;
    first = false;
    const parts = inner(key, member);
    if (parts) yield* parts;
    else yield indented(member, depth + 1);
  }
  yield first ? '{}' : `\n${pad(depth)}}`;
}

/**
 * The plan as JSON (schemas/plan.schema.json, with its `summary`), in pieces in order: no string of
 * the whole document is made, so a large plan streams to its reader. Works on the plan and on its
 * masked copy alike (the same keys).
 */
export function* jsonChunks(
  plan: Pick<Plan, 'collections' | 'actions'>,
  layout: JsonLayout = jsonLayout(plan),
): Generator<string> {
  yield* members(plan as unknown as Readonly<Record<string, unknown>>, 0, (key, member) => {
    if (key === 'actions') return records(member as Rows, 1, layout);
    if (key !== 'collections') return undefined;
    const collections = member as readonly Readonly<Record<string, unknown>>[];
    if (layout === 'indented' || collections.length === 0) return undefined;
    return (function* () {
      yield '[';
      for (let i = 0; i < collections.length; i++) {
        yield `${i === 0 ? '' : ','}\n${pad(2)}`;
        yield* members(collections[i]!, 2, (k, m) =>
          k !== 'decisions'
            ? undefined
            : isDecisionTable(m)
              ? records(m, 3, layout, decisionLines(m))
              : records(m as Rows, 3, layout),
        );
      }
      yield `\n${pad(1)}]`;
    })();
  });
  yield '\n';
}

/** The plan document `plan --format json` prints: the plan and its summary. */
export const jsonDocument = (plan: Plan): Plan & { summary: ReturnType<typeof planSummary> } => ({
  ...plan,
  summary: planSummary(plan),
});

/** What `plan --format json` prints, in pieces: the plan and its summary, masked when asked. */
export function planJsonChunks(plan: Plan, mask: Masker = NO_MASK): Generator<string> {
  const doc = jsonDocument(plan);
  // Masking works on plain JSON values (decision tables become their rows).
  return jsonChunks(mask.enabled ? (maskJson(JSON.parse(JSON.stringify(doc)), mask) as typeof doc) : doc);
}

/** The plan as JSON (schemas/plan.schema.json), as one string. */
export function renderJson(plan: Plan, mask: Masker = NO_MASK): string {
  let out = '';
  for (const chunk of planJsonChunks(plan, mask)) out += chunk;
  return out;
}
