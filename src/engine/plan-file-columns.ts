import type { Action, ActionTarget, ActionType } from '../model/action.js';
import { columnSource, DecisionColumns, RuleList } from '../model/decision-table.js';
import type { DecisionTable, Plan, PlannedCollection } from '../model/plan.js';
import { lazyField } from '../plan/lazy.js';
import { ITEM } from '../plan/managed.js';
import { fingerprint } from '../plan/plan.js';
import { childAddress } from '../shared/address.js';

/**
 * The plan file's format version. 3: compact JSON written in pieces; each collection's decisions as
 * columns, and the actions as columns too (below), their strings in one shared table. Files of any
 * other version (1: pretty JSON; 2: one JSON object per action) are refused: make a new plan. The
 * plan's information is all there: every observed item's decision and rule, every action.
 */
export const PLAN_FILE_FORMAT_VERSION = 3;

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

/** The decision table back from its columns, or a reason when the columns disagree. */
function fromColumns(c: DecisionColumnsOnDisk): DecisionTable | string {
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
 * The actions as columns, in execution order. Action i acts on row `item[i]` of the decisions of
 * collection `collection[i]`: its target id and name, its address (the collection's parent and the
 * id) and its collection come from there, so no id is written twice. Strings are indices into the
 * file's `strings`; -1 is absent.
 */
export interface ActionColumnsOnDisk {
  readonly collection: readonly number[];
  readonly item: readonly number[];
  /** One letter per action (TYPE_LETTER). */
  readonly type: string;
  readonly reason: readonly number[];
  /** One digit per action: 1 reversible, +2 expected partial. */
  readonly flags: string;
  /** Target fields beyond id and name, each a column (only fields some action has). */
  readonly target: Readonly<Record<string, readonly number[]>>;
  /** Sparse: `[action, [string, …]]` for the actions that have warnings. */
  readonly warnings: readonly (readonly [number, readonly number[]])[];
  /** Sparse: `[action, [string, …]]` for the actions that depend on others (action keys). */
  readonly dependsOn: readonly (readonly [number, readonly number[]])[];
}

const TYPE_LETTER: Readonly<Record<ActionType, string>> = {
  'delete-contact': 'c',
  'leave-group': 'g',
  'logout-instance': 'o',
  'delete-instance': 'i',
  'delete-message': 'm',
  'delete-number': 'n',
};
const TYPE_OF: ReadonlyMap<string, ActionType> = new Map(
  Object.entries(TYPE_LETTER).map(([type, letter]) => [letter, type as ActionType]),
);

/** Target fields written as columns (id and name come from the decisions). Nothing else is read. */
const TARGET_FIELDS = [
  'instance',
  'number',
  'sessionKey',
  'workspaceId',
  'uuid',
  'phoneChatId',
  'phone',
  'firstName',
  'lastName',
] as const satisfies readonly (keyof ActionTarget)[];
/** Fields a target lists before its name (the planner's order, kept so that a plan read back prints the same). */
const BEFORE_NAME = 6;

/** Elements per written piece of a long column. */
const PIECE = 16_384;

/** A long list as JSON text in pieces (`[a,b,…]`), none of them the whole list: each piece one JSON.stringify. */
function* jsonList<T>(n: number, at: (i: number) => T): Generator<string> {
  yield '[';
  for (let start = 0; start < n; start += PIECE) {
    const end = Math.min(n, start + PIECE);
    const part = new Array<T>(end - start);
    for (let i = start; i < end; i++) part[i - start] = at(i);
    const text = JSON.stringify(part);
    yield `${start > 0 ? ',' : ''}${text.slice(1, -1)}`;
  }
  yield ']';
}

/** A string of one letter per element, in pieces. */
function* letters(n: number, at: (i: number) => string): Generator<string> {
  yield '"';
  for (let start = 0; start < n; start += PIECE) {
    let part = '';
    for (let i = start; i < Math.min(n, start + PIECE); i++) part += at(i);
    yield part;
  }
  yield '"';
}

/** Shared strings of the file, each once. */
class StringTable {
  readonly list: string[] = [];
  readonly #index = new Map<string, number>();
  of(s: string | undefined): number {
    if (s === undefined) return -1;
    let i = this.#index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.#index.set(s, i);
    }
    return i;
  }
}

/**
 * Where each action's item is: its collection's position and its row there. Throws if an action
 * names none. One collection's id index at a time (a collection's actions come together per phase).
 */
function locate(plan: Plan): { collection: Int32Array; item: Int32Array } {
  const at = new Map(plan.collections.map((c, i) => [c.address, i]));
  const collection = new Int32Array(plan.actions.length);
  const item = new Int32Array(plan.actions.length);
  let current = -1;
  let rows = new Map<string, number>();
  plan.actions.forEach((a, i) => {
    const k = at.get(a.collection);
    const col = k === undefined ? undefined : plan.collections[k]!;
    if (k !== undefined && k !== current && col) {
      current = k;
      rows = new Map();
      for (let r = col.decisions.length - 1; r >= 0; r--) rows.set(col.decisions.id(r), r);
    }
    const row = rows.get(a.target.id);
    const parent = a.collection.slice(0, a.collection.lastIndexOf('/'));
    if (
      !col ||
      row === undefined ||
      a.address !== childAddress(parent, ITEM[col.kind], a.target.id) ||
      (a.target.name ?? '') !== col.decisions.name(row)
    )
      throw new Error(
        `cannot save the plan: ${a.type} ${a.address} does not act on an observed item of ${a.collection}`,
      );
    collection[i] = k!;
    item[i] = row;
  });
  return { collection, item };
}

/** The actions' columns, as JSON text in pieces; their strings go to `strings`. */
function* actionChunks(plan: Plan, strings: StringTable): Generator<string> {
  const actions = plan.actions;
  const n = actions.length;
  const { collection, item } = locate(plan);
  yield '{"collection":';
  yield* jsonList(n, (i) => collection[i]!);
  yield ',"item":';
  yield* jsonList(n, (i) => item[i]!);
  yield ',"type":';
  yield* letters(n, (i) => TYPE_LETTER[actions[i]!.type]);
  yield ',"reason":';
  yield* jsonList(n, (i) => strings.of(actions[i]!.reason));
  yield ',"flags":';
  yield* letters(n, (i) => String((actions[i]!.reversible ? 1 : 0) + (actions[i]!.expected === 'partial' ? 2 : 0)));
  yield ',"target":{';
  let first = true;
  for (const field of TARGET_FIELDS) {
    if (!actions.some((a) => a.target[field] !== undefined)) continue;
    yield `${first ? '' : ','}${JSON.stringify(field)}:`;
    first = false;
    yield* jsonList(n, (i) => strings.of(actions[i]!.target[field]));
  }
  yield '},"warnings":';
  const sparse = (list: (a: Action) => readonly string[]) => {
    const out: [number, number[]][] = [];
    actions.forEach((a, i) => {
      if (list(a).length > 0) out.push([i, list(a).map((s) => strings.of(s))]);
    });
    return out;
  };
  const warnings = sparse((a) => a.warnings);
  yield* jsonList(warnings.length, (i) => warnings[i]);
  yield ',"dependsOn":';
  const dependsOn = sparse((a) => a.dependsOn);
  yield* jsonList(dependsOn.length, (i) => dependsOn[i]);
  yield '}';
}

/** A table's columns as the file holds them, in pieces: the rules actually used, in order of first use. */
function* decisionChunks(table: DecisionTable): Generator<string> {
  const n = table.length;
  const remap = new Map<number, number>();
  const rules: string[] = [];
  const rule = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = table.ruleIndex(i);
    let at = remap.get(r);
    if (at === undefined) {
      at = rules.length;
      rules.push(table.rules.text(r));
      remap.set(r, at);
    }
    rule[i] = at;
  }
  yield '{"ids":';
  yield* jsonList(n, (i) => table.id(i));
  yield ',"names":';
  yield* jsonList(n, (i) => table.name(i));
  yield ',"decision":';
  yield* letters(n, (i) => LETTERS[table.code(i)]!);
  yield ',"rule":';
  yield* jsonList(n, (i) => rule[i]!);
  yield `,"rules":${JSON.stringify(rules)}}`;
}

/**
 * The plan file's text in pieces, none of them the whole plan nor a whole column: the header, each
 * collection (its decisions as columns; no fingerprint, which the ids give), the actions as columns,
 * then the strings they use. Joined in order they make one compact JSON object.
 */
export function* planFileChunks(plan: Plan, extra: Readonly<Record<string, unknown>>): Generator<string> {
  const { collections, actions: _actions, formatVersion: _version, ...rest } = plan;
  yield `{"formatVersion":${PLAN_FILE_FORMAT_VERSION}`;
  for (const [k, v] of Object.entries({ ...rest, ...extra }))
    if (v !== undefined) yield `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  yield ',"collections":[';
  for (let i = 0; i < collections.length; i++) {
    const c = collections[i]!;
    // Every key but the decisions and the fingerprint (not read: it would be made).
    const col: Record<string, unknown> = {};
    for (const k of Object.keys(c))
      if (k !== 'decisions' && k !== 'fingerprint') col[k] = c[k as keyof PlannedCollection];
    const head = JSON.stringify(col);
    yield `${i > 0 ? ',' : ''}${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"decisions":`;
    yield* decisionChunks(c.decisions);
    yield '}';
  }
  yield '],"actions":';
  const strings = new StringTable();
  yield* actionChunks(plan, strings);
  yield ',"strings":';
  yield* jsonList(strings.list.length, (i) => strings.list[i]!);
  yield '}\n';
}

const isIndexList = (v: unknown, n: number, max: number, absent = false): v is number[] =>
  Array.isArray(v) &&
  v.length === n &&
  v.every((x) => Number.isInteger(x) && (x as number) < max && ((x as number) >= 0 || (absent && x === -1)));

const NONE: readonly string[] = Object.freeze([]);

/** The sparse `[action, [string, …]]` lists back as one list per action, or a reason. */
function sparseLists(v: unknown, n: number, strings: readonly string[], what: string): (readonly string[])[] | string {
  // One shared empty list for the actions without any (most of them), as the planner does.
  const out = new Array<readonly string[]>(n).fill(NONE);
  if (!Array.isArray(v)) return `/actions/${what} is not a list`;
  for (const entry of v) {
    const [i, refs] = Array.isArray(entry) ? entry : [];
    if (
      !Number.isInteger(i) ||
      i < 0 ||
      i >= n ||
      !isIndexList(refs, (refs as unknown[])?.length ?? -1, strings.length)
    )
      return `/actions/${what}: ${JSON.stringify(entry)} is not [action, [string index, …]]`;
    out[i as number] = (refs as number[]).map((r) => strings[r]!);
  }
  return out;
}

/** A parsed plan file's actions as objects again (collections decoded first), or a reason why not. */
export function decodeActions(
  raw: unknown,
  stringsRaw: unknown,
  collections: readonly PlannedCollection[],
): Action[] | string {
  if (!Array.isArray(stringsRaw) || !stringsRaw.every((s) => typeof s === 'string'))
    return '/strings is not a list of strings';
  const strings = stringsRaw as string[];
  const c = raw as Partial<ActionColumnsOnDisk> | null;
  if (!c || typeof c !== 'object' || Array.isArray(c)) return '/actions is not a set of action columns';
  const n = Array.isArray(c.collection) ? c.collection.length : -1;
  if (!isIndexList(c.collection, n, collections.length)) return '/actions/collection: not a list of collection indices';
  if (!Array.isArray(c.item) || c.item.length !== n) return 'action columns of different lengths';
  if (typeof c.type !== 'string' || c.type.length !== n) return 'action columns of different lengths';
  if (typeof c.flags !== 'string' || c.flags.length !== n) return 'action columns of different lengths';
  if (!isIndexList(c.reason, n, strings.length)) return '/actions/reason: not a list of string indices';
  const target = c.target;
  if (!target || typeof target !== 'object' || Array.isArray(target)) return '/actions/target is not a set of columns';
  for (const [field, column] of Object.entries(target)) {
    if (!(TARGET_FIELDS as readonly string[]).includes(field)) return `/actions/target/${field} is not a target field`;
    if (!isIndexList(column, n, strings.length, true)) return `/actions/target/${field}: not a list of string indices`;
  }
  const warnings = sparseLists(c.warnings, n, strings, 'warnings');
  if (typeof warnings === 'string') return warnings;
  const dependsOn = sparseLists(c.dependsOn, n, strings, 'dependsOn');
  if (typeof dependsOn === 'string') return dependsOn;
  const out = new Array<Action>(n);
  for (let i = 0; i < n; i++) {
    const col = collections[c.collection[i]!]!;
    const row = c.item[i];
    if (!Number.isInteger(row) || row < 0 || row >= col.decisions.length)
      return `/actions/item/${i}: row ${JSON.stringify(row)} is not an item of ${col.address}`;
    const type = TYPE_OF.get(c.type[i]!);
    if (type === undefined) return `/actions/type/${i}: unknown action type letter ${JSON.stringify(c.type[i])}`;
    const flags = '0123'.indexOf(c.flags[i]!);
    if (flags < 0) return `/actions/flags/${i}: unknown action flags ${JSON.stringify(c.flags[i])}`;
    const id = col.decisions.id(row);
    const name = col.decisions.name(row);
    const fields: Record<string, string> = { id };
    TARGET_FIELDS.forEach((field, f) => {
      if (f === BEFORE_NAME && name) fields['name'] = name;
      const s = (target as Record<string, number[]>)[field]?.[i];
      if (s !== undefined && s >= 0) fields[field] = strings[s]!;
    });
    const parent = col.address.slice(0, col.address.lastIndexOf('/'));
    out[i] = {
      address: childAddress(parent, ITEM[col.kind], id),
      type,
      provider: col.provider,
      account: col.account,
      collection: col.address,
      target: fields as unknown as ActionTarget,
      reason: strings[c.reason[i]!]!,
      warnings: warnings[i]!,
      dependsOn: dependsOn[i]!,
      reversible: (flags & 1) !== 0,
      ...((flags & 2) !== 0 ? { expected: 'partial' as const } : {}),
    };
  }
  return out;
}

/** A parsed plan file's collections with their decision tables, or a reason why not. */
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
    const read = c as PlannedCollection;
    // In the order a plan made now has; the fingerprint is not in the file: the ids give it (when read).
    const { address, provider, account, kind, status, counts, missing, note, error } = read;
    const collection = lazyField(
      {
        address,
        provider,
        account,
        kind,
        status,
        fingerprint: '',
        counts,
        decisions,
        missing,
        ...(note !== undefined ? { note } : {}),
        ...(error !== undefined ? { error } : {}),
      } as PlannedCollection,
      'fingerprint',
      () => (status === 'failed' ? '' : fingerprint(decisions.map((d) => d.id))),
    );
    out.push(collection);
  }
  return out;
}
