import { type EntryIndex, entryIndex, entryShape, entryTest, exactIdsProven } from '../config/entry.js';
import type { CollectionPolicy, Entry, MessagePolicy } from '../config/model.js';
import { decisionCode } from '../model/decision-table.js';
import type { ObservedItem } from '../model/observed.js';
import { DECISION_KINDS, type DecisionKind, type RuleTable } from '../model/plan.js';
import { type GlobShape, shapeTest } from '../shared/glob.js';
import { ownIdKey } from '../shared/ids.js';
import { type DecisionSlots, KEPT_BY_ID } from './decision-slots.js';
import type { ManagedCollection } from './managed.js';
import { entryMatches, firstMatchAt, resolvedPhone } from './match.js';
import { holdsSecretInName, idSyntaxTest, observedIdSyntax, ownKeyIsId } from './observed-ids.js';

/** What decided one item. */
export interface Verdict {
  readonly decision: DecisionKind;
  readonly rule: string;
  /** The `remove` entry that removed it (for per-entry options such as allowLastAdminLeave). */
  readonly entry?: Entry;
}

const KEEP = decisionCode('keep');
const REMOVE = decisionCode('remove');
const PROTECTED = decisionCode('protected');
const UNMANAGED = decisionCode('unmanaged');

/** The rules every collection has, after its policy entries, in this order. */
const FIXED: readonly { readonly text: string; readonly code: number }[] = [
  { text: 'own number', code: PROTECTED },
  { text: 'its collections are managed in this file', code: PROTECTED },
  { text: 'not kept (prune: true)', code: REMOVE },
  /**
   * A GREEN-API contact listed only by its LID whose phone number could not be read: the file may keep
   * it by phone without chatstate knowing, and DeleteContact takes a phone number anyway. Never removed.
   */
  { text: 'unresolved LID', code: PROTECTED },
  { text: 'not mentioned (prune: false)', code: UNMANAGED },
];
const [OWN, MANAGED_INSTANCE, PRUNED, UNRESOLVED, NOT_MENTIONED] = [0, 1, 2, 3, 4] as const;
/** The code `PolicyRules.code` gives a rule index it does not have (no decision kind has it). */
const UNKNOWN_RULE = -1;

/**
 * A collection's rule table as the planner makes it: its `protect`, `keep` and `remove` entries in
 * file order, then the fixed rules, then rules computed while deciding (retention, propagation,
 * not targeted), each once. An item's rule is an index here; texts are made when read, so a keep
 * list of 100,000 exact ids costs no string while planning. Every rule has one decision kind.
 */
export class PolicyRules implements RuleTable {
  readonly keepAt: number;
  readonly removeAt: number;
  readonly fixedAt: number;
  readonly #policy: CollectionPolicy;
  /** Computed rules: their texts, codes, and index by code and text; made by the first `add` (most collections have none). */
  #extra: { readonly texts: string[]; readonly codes: number[]; readonly index: Map<string, number> } | undefined;

  constructor(policy: CollectionPolicy) {
    this.#policy = policy;
    this.keepAt = policy.protect.length;
    this.removeAt = this.keepAt + policy.keep.length;
    this.fixedAt = this.removeAt + policy.remove.length;
  }

  get length(): number {
    return this.fixedAt + FIXED.length + (this.#extra?.texts.length ?? 0);
  }

  /** The decision code every item with rule `r` has. */
  code(r: number): number {
    if (r < this.keepAt) return PROTECTED;
    if (r < this.removeAt) return KEEP;
    if (r < this.fixedAt) return REMOVE;
    const f = r - this.fixedAt;
    return f < FIXED.length ? FIXED[f]!.code : (this.#extra?.codes[f - FIXED.length] ?? UNKNOWN_RULE);
  }

  /** The policy entry of rule `r`, when it is one. */
  entry(r: number): Entry | undefined {
    const p = this.#policy;
    if (r < this.keepAt) return p.protect[r];
    if (r < this.removeAt) return p.keep[r - this.keepAt];
    if (r < this.fixedAt) return p.remove[r - this.removeAt];
    return undefined;
  }

  text(r: number): string {
    const p = this.#policy;
    if (r < this.keepAt) return `protect: ${p.protect[r]!.text}`;
    if (r < this.removeAt) return `keep: ${p.keep[r - this.keepAt]!.text}`;
    if (r < this.fixedAt) return `listed under remove: ${p.remove[r - this.removeAt]!.text}`;
    const f = r - this.fixedAt;
    const t = f < FIXED.length ? FIXED[f]!.text : this.#extra?.texts[f - FIXED.length];
    if (t === undefined) throw new RangeError(`no rule ${r}`);
    return t;
  }

  fixed(f: number): number {
    return this.fixedAt + f;
  }

  /** The rule of a GREEN-API contact listed only by its LID whose phone could not be read. */
  get unresolvedLid(): number {
    return this.fixedAt + UNRESOLVED;
  }

  /** The index of a computed rule (added the first time), deciding `code`. */
  add(text: string, code: number): number {
    const key = `${code}:${text}`;
    this.#extra ??= { texts: [], codes: [], index: new Map() };
    const extra = this.#extra;
    let r = extra.index.get(key);
    if (r === undefined) {
      r = this.fixedAt + FIXED.length + extra.texts.length;
      extra.texts.push(text);
      extra.codes.push(code);
      extra.index.set(key, r);
    }
    return r;
  }
}

const describeMs = (ms: number): string =>
  ms % 86_400_000 === 0
    ? `${ms / 86_400_000}d`
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000}h`
      : `${Math.round(ms / 60_000)}m`;

/** The retention rule of a messages collection, when it applies to this message. */
function retention(policy: MessagePolicy, item: ObservedItem, now: Date): string | undefined {
  if (policy.olderThanMs === undefined || item.facts.kind !== 'message') return undefined;
  const age = now.getTime() - Date.parse(item.facts.sentAt);
  if (!(age > policy.olderThanMs)) return undefined;
  if (policy.sentBy && !policy.sentBy.includes(item.facts.sentBy)) return undefined;
  return `older than ${describeMs(policy.olderThanMs)}${policy.sentBy ? `, sent by ${item.facts.sentBy}` : ''}`;
}

/** Whether an id is a LID (`…@lid`); the last character is read first, as most ids are not. */
const isLid = (id: string): boolean => id.charCodeAt(id.length - 1) === 100 /* d */ && id.endsWith('@lid');

/** A contact whose phone number could not be read (with a LID id, in a GREEN-API collection: unresolved). */
const isUnresolvedContact = (item: ObservedItem): boolean =>
  item.facts.kind === 'contact' && item.facts.phone === undefined;

/** A keep pattern as `decideAll` tries it. */
interface KeepTest {
  /** Its position in the keep list. */
  readonly at: number;
  readonly byName: boolean;
  /** Its `GlobShape` kind, or -1: the entry tests with `test`. */
  readonly kind: GlobShape['kind'] | -1;
  readonly literal: string;
  readonly test: (text: string) => boolean;
  /** An item was decided by it (so it matches something observed: `unmatchedEntries` need not look). */
  matched: boolean;
}

/**
 * `matchesText(entry, text)` for a keep pattern: the string comparison inline where the glob is one
 * (a call through `test` per unkept item was not inlined: every entry has a closure of its own).
 */
const textMatches = (t: KeepTest, text: string): boolean =>
  t.kind >= 0 ? shapeTest(t.kind as GlobShape['kind'], t.literal, text) : t.test(text);

/** The keep marks of a decider done deciding, and what else it drops then (frozen: nothing adds to them). */
const NO_MARKS = new Uint8Array(0);
/** The index of an empty entry list. */
const NO_INDEX = entryIndex([]);
const NO_OTHER_IDS: string[] = Object.freeze([]) as unknown as string[];
const NONE_MISSING: readonly string[] = Object.freeze([]);

/** Bits of CollectionDecider's keep marks. */
const SEEN = 1;
const DECIDED = 2;
/** The entry's id is an own id (by key): set when the decider is made. */
const OWN_MARK = 4;

/** What `keptPass` counted, besides the positions it left. */
interface KeptCounts {
  /** Items decided kept by their exact id. */
  kept: number;
  /** Of those, items whose id an earlier item had. */
  repeated: number;
  /** Exact keep ids seen for the first time. */
  seen: number;
  /** A name holding a secret was seen. */
  suspect: boolean;
}

/** The counts of the last `keptPass` (one record: the planner decides one collection at a time). */
const KEPT_PASS: KeptCounts = { kept: 0, repeated: 0, seen: 0, suspect: false };

/** Positions `keptPass` leaves to the rest of `decideAll`: one buffer, reused for every collection. */
let restPositions = new Int32Array(1024);
const restBuffer = (n: number): Int32Array => {
  if (n > restPositions.length) restPositions = new Int32Array(Math.max(n, 2 * restPositions.length));
  return restPositions;
};

/**
 * `decideAll`'s first pass: an item that an exact keep id names, in a `#plainKeep` collection (not a
 * LID, not the own number), is kept by that entry (slot 0: the column comes zeroed, nothing is
 * written). Every other item's position goes to `rest`, in order: as `-1 - i` when an exact keep id
 * names it, as `i` when none does. Returns how many positions it wrote.
 *
 * A function of its own, and small: V8 optimises a function in the background while its first
 * calls run in slower baseline code, and the compile of the whole of `decideAll` took 20–30 ms, in
 * which a large account's first collections were decided. This one compiles in a few.
 */
function keptPass(
  items: readonly ObservedItem[],
  keepExact: ReadonlyMap<string, number>,
  marks: Uint8Array,
  plainKeep: boolean,
  rest: Int32Array,
  counts: KeptCounts,
): number {
  let n = 0;
  let kept = 0;
  let repeated = 0;
  let seen = 0;
  let suspect = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const id = item.id;
    const exact = keepExact.get(id);
    if (exact === undefined) {
      rest[n++] = i;
      continue;
    }
    const m = marks[exact]!;
    if (!plainKeep || (m & OWN_MARK) !== 0 || isLid(id)) {
      rest[n++] = -1 - i;
      continue;
    }
    if ((m & DECIDED) !== 0) repeated++;
    if ((m & SEEN) === 0) seen++;
    marks[exact] = m | DECIDED | SEEN;
    kept++;
    if (!suspect && holdsSecretInName(item)) suspect = true;
  }
  counts.kept = kept;
  counts.repeated = repeated;
  counts.seen = seen;
  counts.suspect = suspect;
  return n;
}

/**
 * Decides the items of one collection, each to a rule index of `rules` (whose kind is the decision).
 * Precedence: own ids and managed instances, then `protect`, then `keep`, then `remove`, then
 * retention, then prune. Protection wins over everything; keep wins over every remove entry. It also
 * notes which exact keep ids it saw, for `missing()`, without a set of all observed ids.
 */
export class CollectionDecider {
  readonly rules: PolicyRules;
  readonly ownIds: readonly string[];
  readonly now: Date;
  readonly #managed: ManagedCollection;
  readonly #keepExact: ReadonlyMap<string, number>;
  readonly #protectIndex: EntryIndex;
  readonly #keepIndex: EntryIndex;
  readonly #removeIndex: EntryIndex;
  /**
   * Per keep entry position, three bits: SEEN, an observed item (its id or resolved phone) is the id it
   * names; DECIDED, an item with this id was decided (ids listed twice are found without a set of all
   * ids); OWN_MARK, the entry names an own id (by key).
   */
  #keepMarks: Uint8Array;
  /** `missing()`, made when deciding is done (the marks may then be reused for the next collection). */
  #missing: readonly string[] | undefined;
  /** How many exact keep ids are marked SEEN. */
  #seenCount = 0;
  /**
   * Ids decided that no exact keep entry names, while they come in strictly ascending order (which
   * proves none repeats, with no set): the set is made from them only when the order breaks.
   */
  #otherIds: string[] = [];
  /** Those ids as a set, once their order broke (then every later one is added). */
  #otherSet: Set<unknown> | undefined;
  /** A GREEN-API collection: a contact listed only by LID may be unresolved. */
  readonly #greenApi: boolean;
  /** Positions of keep patterns that decided an item in `decideAll` (each matches something observed). */
  readonly keepPatternsMatched: number[] = [];
  /** Items decided whose id an earlier item had (the caller then decides the list without them). */
  repeated = 0;
  /** The item `decide` decided last has an id of the collection's syntax (observed-ids.ts). */
  validId = false;
  /** The syntax observed ids of this collection must have. */
  readonly #syntax: RegExp;
  /** `#syntax.test`. */
  readonly #validSyntax: (id: string) => boolean;
  /** Every exact keep id is known to have that syntax (config/entry.ts `exactIdsProven`). */
  readonly #keptIdsValid: boolean;
  /** A valid id is its own `ownIdKey`. */
  readonly #ownKeyIsId: boolean;
  /** The own ids' `ownIdKey`s. */
  readonly #ownKeys: readonly string[];
  /** The one own key, when there is one. */
  readonly #onlyOwnKey: string | undefined;
  /**
   * A position in the own key where most ids differ from it (the last digit of `…@c.us`), and its
   * character: compared first, it rejects nearly every id without comparing whole strings.
   */
  readonly #ownProbe: number;
  readonly #ownProbeChar: number;
  /**
   * An item that an exact keep id names is decided by that entry or as the own number, and nothing
   * else: kept ids are valid and their own keys, and no `protect` entry or managed instance comes first.
   */
  readonly #plainKeep: boolean;
  /**
   * An item no exact keep id names, with no LID, is decided by the own number, keep patterns, remove
   * entries or prune, and nothing else: no `protect` entry, managed instance or retention comes in.
   */
  readonly #plainOther: boolean;

  /**
   * `bytes`: where the keep marks are taken from, zeroed (a new array by default; the planner reuses
   * one buffer, the marks being dropped by `doneDeciding`).
   */
  constructor(
    managed: ManagedCollection,
    ownIds: readonly string[],
    now: Date,
    bytes: (n: number) => Uint8Array = (n) => new Uint8Array(n),
  ) {
    this.#managed = managed;
    this.ownIds = ownIds;
    this.now = now;
    this.rules = new PolicyRules(managed.policy);
    // Empty lists are tested here, not only in entryIndex: a call never made is not compiled into
    // this constructor (most collections have no protect or remove entries; the planner makes 1,000).
    const { protect, keep, remove } = managed.policy;
    this.#protectIndex = protect.length === 0 ? NO_INDEX : entryIndex(protect);
    this.#keepIndex = keep.length === 0 ? NO_INDEX : entryIndex(keep);
    this.#removeIndex = remove.length === 0 ? NO_INDEX : entryIndex(remove);
    this.#keepExact = this.#keepIndex.exactIds;
    this.#keepMarks = bytes(this.#keepExact.size > 0 ? managed.policy.keep.length : 0);
    this.#greenApi = managed.provider === 'green-api';
    this.#syntax = observedIdSyntax(managed.provider, managed.ref.kind);
    this.#validSyntax = idSyntaxTest(this.#syntax);
    this.#keptIdsValid = exactIdsProven(managed.policy.keep, this.#syntax);
    this.#ownKeyIsId = ownKeyIsId(managed.provider, managed.ref.kind);
    // A run observes one own number per instance: a list, not a set (the decider is made per collection).
    // A loop, not map and every: the array map made in optimised code had another map than the one
    // `every` was compiled for, and the constructor was thrown away (--trace-deopt: "wrong map").
    const ownKeys: string[] = [];
    let onlyOwnKey: string | undefined;
    for (let o = 0; o < ownIds.length; o++) {
      const key = ownIdKey(ownIds[o]!);
      ownKeys.push(key);
      if (o === 0) onlyOwnKey = key;
      else if (key !== onlyOwnKey) onlyOwnKey = undefined;
    }
    this.#ownKeys = ownKeys;
    this.#onlyOwnKey = onlyOwnKey;
    this.#ownProbe = onlyOwnKey === undefined ? 0 : Math.max(0, onlyOwnKey.length - 6);
    this.#ownProbeChar = onlyOwnKey === undefined ? -1 : onlyOwnKey.charCodeAt(this.#ownProbe);
    const plain = managed.policy.protect.length === 0 && (managed.managedIds?.length ?? 0) === 0;
    this.#plainKeep = plain && this.#keptIdsValid && this.#ownKeyIsId;
    this.#plainOther = plain && !('olderThanMs' in managed.policy);
    for (let o = 0; o < ownKeys.length; o++) {
      const k = this.#keepExact.get(ownKeys[o]!);
      if (k !== undefined) this.#keepMarks[k]! |= OWN_MARK;
    }
  }

  /** The rule of an item decided by the exact keep entry naming its id (`KEPT_BY_ID`, decision-slots.ts). */
  keptRule(id: string): number {
    return this.rules.keepAt + this.#keepExact.get(id)!;
  }

  /** The rule that decides `item` (the decision is `rules.code(r)`); counts it in `repeated` when its id came before. */
  decide(item: ObservedItem): number {
    const id = item.id;
    const exact = this.#keepExact.size > 0 ? this.#keepExact.get(id) : undefined;
    // An id that a loader-built exact keep entry names is valid: it equals that entry's id.
    const valid = (exact !== undefined && this.#keptIdsValid) || (typeof id === 'string' && this.#validSyntax(id));
    this.validId = valid;
    if (exact !== undefined) {
      const m = this.#keepMarks[exact]!;
      if ((m & DECIDED) !== 0) this.repeated++;
      this.#keepMarks[exact] = m | DECIDED;
    } else this.#other(id);
    const lid = isLid(id);
    const r = this.#decide(item, exact, lid, valid);
    return lid && this.#greenApi && isUnresolvedContact(item) && this.rules.code(r) === REMOVE
      ? this.rules.fixed(UNRESOLVED)
      : r;
  }

  /**
   * Decides every item of `items` into `slots` (a zeroed column: the rules and codes `decide` and
   * `rules.code` give, item by item) and counts them (`tally`: items per decision code). Two kinds of
   * item, most items of a large account, are decided in passes of their own, with what is the same
   * for every item worked out once: an id an exact keep entry names, in a `#plainKeep` collection
   * (`keptPass`), and an id none names (no LID) in a `#plainOther` one (`#otherPass`). Any other
   * item goes through `decide`. test/unit/decide-all.property.test.ts holds the two equal.
   */
  decideAll(
    items: readonly ObservedItem[],
    slots: DecisionSlots,
  ): { tally: number[]; unresolved: number; suspect: boolean } {
    const rules = this.rules;
    const keepExact = this.#keepExact;
    const keepAt = rules.keepAt;
    /** How many items have each decision code. */
    const tally = [0, 0, 0, 0, 0];
    let suspect = false;
    // Positions left to decide, in order (keptPass: negative when an exact keep id names the item).
    const rest = restBuffer(items.length);
    let left: number;
    if (keepExact.size > 0) {
      const pass = KEPT_PASS;
      left = keptPass(items, keepExact, this.#keepMarks, this.#plainKeep, rest, pass);
      tally[KEEP]! += pass.kept;
      this.repeated += pass.repeated;
      this.#seenCount += pass.seen;
      suspect = pass.suspect;
    } else {
      left = items.length;
      for (let i = 0; i < left; i++) rest[i] = i;
    }
    if (this.#plainOther && left > 0) {
      const pass = this.#otherPass(items, rest, left, slots, tally, this.#keepTests());
      left = pass.left;
      suspect ||= pass.suspect;
    }
    let unresolved = 0;
    const unresolvedRule = rules.unresolvedLid;
    for (let j = 0; j < left; j++) {
      const at = rest[j]!;
      const i = at >= 0 ? at : -1 - at;
      const item = items[i]!;
      const exact = at >= 0 ? undefined : keepExact.get(item.id);
      let r: number;
      let valid = true;
      if (exact !== undefined && this.#plainKeep && !isLid(item.id)) {
        // keptPass left it: the own number, kept by its exact id (rare: one item of a collection).
        const m = this.#keepMarks[exact]!;
        if ((m & DECIDED) !== 0) this.repeated++;
        if ((m & SEEN) === 0) this.#seenCount++;
        this.#keepMarks[exact] = m | DECIDED | SEEN;
        r = (m & OWN_MARK) !== 0 ? rules.fixed(OWN) : keepAt + exact;
      } else {
        r = this.decide(item);
        valid = this.validId;
      }
      if (exact !== undefined && r === keepAt + exact) slots.column[i] = KEPT_BY_ID;
      else {
        const s = slots.slot(r);
        slots.column[i] = s;
      }
      if (!suspect && (!valid || holdsSecretInName(item))) suspect = true;
      tally[rules.code(r)]!++;
      if (r === unresolvedRule) unresolved++;
    }
    return { tally, unresolved, suspect };
  }

  /**
   * `decideAll`'s pass for ids no exact keep entry names (`rest`'s non-negative positions, the first
   * `n`) in a `#plainOther` collection: `#decide` without a phone, protect entries, managed instances
   * or retention — own number, keep patterns, remove entries, prune. Positions it does not decide
   * (LIDs, ids that are not strings, items an exact keep id names) are moved to the front of `rest`,
   * in order; `left` says how many. A function of its own for the reason `keptPass` is.
   */
  #otherPass(
    items: readonly ObservedItem[],
    rest: Int32Array,
    n: number,
    slots: DecisionSlots,
    tally: number[],
    keepTests: readonly KeepTest[],
  ): { left: number; suspect: boolean } {
    const rules = this.rules;
    const policy = this.#managed.policy;
    const validSyntax = this.#validSyntax;
    const hasOwn = this.ownIds.length > 0;
    const ownKeyIsId = this.#ownKeyIsId;
    const ownRule = rules.fixed(OWN);
    const keepAt = rules.keepAt;
    const onlyOwnKey = this.#onlyOwnKey;
    const ownProbe = this.#ownProbe;
    const ownProbeChar = this.#ownProbeChar;
    const remove = policy.remove;
    const removeIndex = this.#removeIndex;
    const removeAt = rules.removeAt;
    const unmatchedRule = rules.fixed(policy.prune ? PRUNED : NOT_MENTIONED);
    const unmatchedCode = rules.code(unmatchedRule);
    let left = 0;
    let suspect = false;
    let repeated = 0;
    /** The last id decided here, while they ascend. */
    let lastOther: string | undefined;
    /** Those ids as a set, once their order broke. */
    let others: Set<string> | undefined;
    // Slots (decision-slots.ts): looked up once per change of rule (consecutive items mostly share
    // one: pruned, kept by a pattern).
    let column = slots.column;
    let lastRule = -1;
    let lastSlot = -1;
    for (let j = 0; j < n; j++) {
      const i = rest[j]!;
      if (i < 0) {
        rest[left++] = i;
        continue;
      }
      const item = items[i]!;
      const id = item.id;
      if (typeof id !== 'string' || isLid(id)) {
        rest[left++] = i;
        continue;
      }
      const valid = validSyntax(id);
      // Repeats, found as #other does, with the state kept here: the path an item takes depends on
      // its id alone, so a repeat of an id on this path is on this path too.
      if (others === undefined) {
        if (lastOther === undefined || lastOther < id) lastOther = id;
        else others = this.#plainOthers(items, i);
      }
      if (others !== undefined && others.size === others.add(id).size) repeated++;
      let r = -1;
      let code = PROTECTED;
      const idIsKey = valid && ownKeyIsId;
      if (
        hasOwn &&
        (idIsKey && onlyOwnKey !== undefined
          ? id.charCodeAt(ownProbe) === ownProbeChar && id === onlyOwnKey
          : this.#isOwn(id, idIsKey))
      )
        r = ownRule;
      else {
        // entryMatches without a phone: a pattern entry is an id glob or a name.
        for (let t = 0; t < keepTests.length; t++) {
          const keepTest = keepTests[t]!;
          const facts = item.facts;
          if (
            keepTest.byName
              ? textMatches(keepTest, item.name) ||
                (facts.kind === 'contact' &&
                  facts.contactName !== undefined &&
                  textMatches(keepTest, facts.contactName))
              : textMatches(keepTest, id)
          ) {
            r = keepAt + keepTest.at;
            code = KEEP;
            keepTest.matched = true;
            break;
          }
        }
        if (r < 0 && remove.length > 0) {
          const x = firstMatchAt(remove, item, false, removeIndex, undefined);
          if (x >= 0) {
            r = removeAt + x;
            code = REMOVE;
          }
        }
        if (r < 0) {
          r = unmatchedRule;
          code = unmatchedCode;
        }
      }
      if (r !== lastRule) {
        lastSlot = slots.slot(r);
        lastRule = r;
        column = slots.column;
      }
      column[i] = lastSlot;
      if (!suspect && (!valid || holdsSecretInName(item))) suspect = true;
      tally[code]!++;
    }
    this.repeated += repeated;
    for (let t = 0; t < keepTests.length; t++)
      if (keepTests[t]!.matched) this.keepPatternsMatched.push(keepTests[t]!.at);
    return { left, suspect };
  }

  /**
   * Whether a `protect`, `keep` or `remove` pattern may match nothing observed, so that
   * `unmatchedEntries` has something to look for: false when the lists' only patterns are keep
   * patterns that decided an item. The planner asks first: most large collections have no pattern
   * left to look for, and the call looked up each list's index again (3 µs per collection).
   */
  mayLeavePatternsUnmatched(): boolean {
    if (this.#protectIndex.others.length > 0 || this.#removeIndex.others.length > 0) return true;
    const keepPatterns = this.#keepIndex.others;
    for (let p = 0; p < keepPatterns.length; p++) if (!this.keepPatternsMatched.includes(keepPatterns[p]!)) return true;
    return false;
  }

  /** The keep list's patterns as `#otherPass` tries them, in file order. */
  #keepTests(): KeepTest[] {
    const keep = this.#managed.policy.keep;
    const keepPatterns = this.#keepIndex.others;
    // One record per keep pattern, made by push: arrays made by `map` came in two element kinds,
    // and the compiled loop was thrown away when the second appeared.
    const keepTests: KeepTest[] = [];
    for (let p = 0; p < keepPatterns.length; p++) {
      const entry = keep[keepPatterns[p]!]!;
      const shape = entryShape(entry);
      keepTests.push({
        at: keepPatterns[p]!,
        byName: entry.field === 'name',
        kind: shape?.kind ?? -1,
        literal: shape?.literal ?? '',
        test: entryTest(entry),
        matched: false,
      });
    }
    return keepTests;
  }

  /** The ids of `items` before position `end` that `decideAll` decided on its plain path for unkept ids. */
  #plainOthers(items: readonly ObservedItem[], end: number): Set<string> {
    const out = new Set<string>();
    for (let j = 0; j < end; j++) {
      const id = items[j]!.id;
      // The plain path's test (decideAll), item by item.
      if (!this.#keepExact.has(id) && typeof id === 'string' && !isLid(id)) out.add(id);
    }
    return out;
  }

  /**
   * An own id, or an observed variant of one (case, spaces, `+`, bare digits): issue 12, point 5.
   * `idIsKey`: the id is known to be its own `ownIdKey` (no key is made).
   */
  #isOwn(id: string, idIsKey: boolean): boolean {
    if (!idIsKey) return this.ownIds.includes(id) || this.#ownKeys.includes(ownIdKey(id));
    // One own number, as a run observes per instance: a string comparison, not a set lookup.
    return this.#onlyOwnKey !== undefined ? id === this.#onlyOwnKey : this.#ownKeys.includes(id);
  }

  /** Notes an id no exact keep entry names, counting it in `repeated` when it came before. */
  #other(id: string): void {
    let set = this.#otherSet;
    if (set === undefined) {
      const ids = this.#otherIds;
      // Strings in strictly ascending order (UTF-16 code units) are all different.
      if (typeof id === 'string' && (ids.length === 0 || ids[ids.length - 1]! < id)) {
        ids.push(id);
        return;
      }
      set = new Set(ids);
      this.#otherSet = set;
      this.#otherIds = [];
    }
    if (set.size === set.add(id).size) this.repeated++;
  }

  #see(k: number): void {
    const m = this.#keepMarks[k]!;
    if ((m & SEEN) !== 0) return;
    this.#keepMarks[k] = m | SEEN;
    this.#seenCount++;
  }

  /**
   * Notes which kept ids are missing, then drops the marks and what finding repeated ids needed: the
   * decider lives on with the plan, for its rules, and the planner reuses one buffer of marks for
   * every collection (`bytes`). Nothing is decided after this.
   */
  doneDeciding(): void {
    this.#missing = this.#missingNow();
    this.#keepMarks = NO_MARKS;
    this.#otherIds = NO_OTHER_IDS;
    this.#otherSet = undefined;
  }

  /**
   * The rule before the LID check: a LID contact not yet resolved is a candidate for removal, so that
   * observation reads its phone number (`mayRemove`).
   */
  decideRaw(item: ObservedItem): number {
    return this.#decide(
      item,
      this.#keepExact.size > 0 ? this.#keepExact.get(item.id) : undefined,
      isLid(item.id),
      false,
    );
  }

  /**
   * `exact`: the position of the exact keep entry naming the item's id, if one does; `lid`: its id is
   * a LID; `valid`: its id is known to have the collection's syntax.
   */
  #decide(item: ObservedItem, exact: number | undefined, lid: boolean, valid: boolean): number {
    const managed = this.#managed;
    const policy = managed.policy;
    const rules = this.rules;
    if (exact !== undefined) this.#see(exact);
    const phone = lid ? resolvedPhone(item) : undefined;
    if (phone !== undefined && this.#keepExact.size > 0) {
      const p = this.#keepExact.get(phone);
      if (p !== undefined) this.#see(p);
    }
    if (this.ownIds.length > 0 && this.#isOwn(item.id, valid && this.#ownKeyIsId)) return rules.fixed(OWN);
    if (managed.managedIds?.includes(item.id)) return rules.fixed(MANAGED_INSTANCE);
    if (policy.protect.length > 0) {
      const p = firstMatchAt(policy.protect, item, false, this.#protectIndex, phone);
      if (p >= 0) return p;
    }
    // Keep beats remove (docs/config.md): a remove glob never takes what the file keeps. An exact
    // remove id that an exact keep id also names is refused by the loader.
    if (exact !== undefined) return rules.keepAt + exact;
    if (policy.keep.length > 0) {
      const k = firstMatchAt(policy.keep, item, this.#keepExact.size > 0, this.#keepIndex, phone);
      if (k >= 0) return rules.keepAt + k;
    }
    if (policy.remove.length > 0) {
      const x = firstMatchAt(policy.remove, item, false, this.#removeIndex, phone);
      if (x >= 0) return rules.removeAt + x;
    }
    if ('olderThanMs' in policy) {
      const retained = retention(policy as MessagePolicy, item, this.now);
      if (retained !== undefined) return rules.add(retained, REMOVE);
    }
    return rules.fixed(policy.prune ? PRUNED : NOT_MENTIONED);
  }

  /**
   * Exact ids the file keeps that no decided item is (chatstate cannot create them: a warning), sorted.
   * A `remove` id that is absent is simply already done, and not reported.
   */
  missing(): readonly string[] {
    return this.#missing ?? this.#missingNow();
  }

  #missingNow(): readonly string[] {
    if (this.#seenCount === this.#keepExact.size) return NONE_MISSING;
    const out: string[] = [];
    for (const [id, k] of this.#keepExact) if ((this.#keepMarks[k]! & SEEN) === 0) out.push(id);
    return out.sort();
  }

  /** The rule as a verdict (text made now). */
  verdict(r: number): Verdict {
    const decision = DECISION_KINDS[this.rules.code(r)]!;
    const rule = this.rules.text(r);
    const entry = r >= this.rules.removeAt && r < this.rules.fixedAt ? this.rules.entry(r) : undefined;
    return entry ? { decision, rule, entry } : { decision, rule };
  }
}

const deciders = new WeakMap<ManagedCollection, CollectionDecider>();

/** One decider per collection, made again when asked about other own ids or another time. */
function deciderFor(managed: ManagedCollection, ownIds: readonly string[], now: Date): CollectionDecider {
  let d = deciders.get(managed);
  if (!d || d.ownIds !== ownIds || d.now !== now) {
    d = new CollectionDecider(managed, ownIds, now);
    deciders.set(managed, d);
  }
  return d;
}

/** Decides one observed item (CollectionDecider.decide, as a verdict). */
export function decideItem(
  managed: ManagedCollection,
  ownIds: readonly string[],
  item: ObservedItem,
  now: Date,
): Verdict {
  const d = deciderFor(managed, ownIds, now);
  return d.verdict(d.decide(item));
}

const NO_IDS: readonly string[] = [];

/** The ids a plan might remove from `items`: the observe hook that limits costly lookups. */
export function mayRemove(managed: ManagedCollection, items: readonly ObservedItem[], now: Date): Set<string> {
  const out = new Set<string>();
  const d = new CollectionDecider(managed, NO_IDS, now);
  // decideRaw: a LID contact not yet resolved is a candidate, so that its phone number gets read.
  for (const item of items) if (d.rules.code(d.decideRaw(item)) === REMOVE) out.add(item.id);
  return out;
}

/** Whether some observed item matches the entry (each entry on its own, not only the first match). */
const matchesSome = (
  entry: Entry,
  items: readonly ObservedItem[],
  test: (e: Entry, i: ObservedItem) => boolean,
): number => {
  let n = 0;
  for (const item of items) if (test(entry, item)) n++;
  return n;
};

const ignoringCase = (entry: Entry): Entry => ({ ...entry, regex: new RegExp(entry.regex.source, 'is') });

const LISTS = ['keep', 'protect', 'remove'] as const;

/**
 * Warnings for `keep`, `protect` and `remove` patterns (globs and names) that match nothing
 * observed, naming the entry and its line. Globs are case-sensitive; when a pattern would match
 * ignoring case, the warning says so. Exact ids are not patterns: a missing kept id has its own
 * warning, and a missing removed id is simply already gone. `keepPatternsMatched`: positions of keep
 * patterns known to match an observed item (not looked for again).
 */
export function unmatchedEntries(
  managed: ManagedCollection,
  items: readonly ObservedItem[],
  keepPatternsMatched: readonly number[] = [],
): string[] {
  const out: string[] = [];
  for (let l = 0; l < LISTS.length; l++) {
    const list = LISTS[l]!;
    const entries = managed.policy[list];
    if (entries.length === 0) continue;
    // The list's patterns (not its exact ids), in file order.
    const patterns = entryIndex(entries).others;
    for (let p = 0; p < patterns.length; p++) {
      // A keep pattern that decided an item while planning (`keepPatternsMatched`) matches something.
      if (list === 'keep' && keepPatternsMatched.includes(patterns[p]!)) continue;
      const entry = entries[patterns[p]!]!;
      if (items.some((item) => entryMatches(entry, item))) continue;
      const loose = ignoringCase(entry);
      const caseOnly = matchesSome(loose, items, entryMatches);
      const hint = caseOnly > 0 ? `; ignoring case it would match ${caseOnly} (patterns are case-sensitive)` : '';
      out.push(`${list} entry \`${entry.text}\` (line ${entry.at.line}) matches nothing observed${hint}`);
    }
  }
  return out;
}
