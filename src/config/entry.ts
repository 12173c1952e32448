import { type GlobShape, globShape, globTest, globToRegExp } from '../shared/glob.js';
import type { Entry } from './model.js';

/**
 * An entry whose `regex` is compiled the first time it is read: exact ids are matched by equality
 * (or an index), so a file of 100,000 exact ids builds no regular expression. `regex` is a getter on
 * the prototype (spreading or serialising an entry does not compile it).
 */
class LazyEntry {
  #regex: RegExp | undefined;
  declare readonly text: string;
  declare readonly field: 'id' | 'name';
  declare readonly pattern: string;
  declare readonly exact: boolean;
  declare readonly at: Entry['at'];
  declare readonly allowLastAdminLeave?: boolean;

  constructor(fields: Omit<Entry, 'regex'>) {
    Object.assign(this, fields);
  }

  get regex(): RegExp {
    if (this.#regex === undefined) this.#regex = globToRegExp(this.pattern);
    return this.#regex;
  }

  #test: ((text: string) => boolean) | undefined;
  /** `globShape(pattern)`, once worked out (null: the glob has no simple shape). */
  #shape: GlobShape | null | undefined;

  get shape(): GlobShape | undefined {
    if (this.#shape === undefined) this.#shape = globShape(this.pattern) ?? null;
    return this.#shape ?? undefined;
  }

  /** `regex.test`, as a string comparison where the glob is one (shared/glob.ts). */
  get test(): (text: string) => boolean {
    if (this.#test === undefined) this.#test = globTest(this.pattern);
    return this.#test;
  }
}

/**
 * `entry.regex.test(text)`. A loader-made entry's regex is its pattern's glob, so a simple glob
 * compares strings instead (`globTest`); any other entry (one with a regex of its own, such as the
 * case-insensitive copy a warning makes) tests with its regex.
 */
export const matchesText = (entry: Entry, text: string): boolean =>
  entry instanceof LazyEntry ? entry.test(text) : entry.regex.test(text);

/**
 * The string comparison `matchesText` makes for this entry (`shapeTest`), when it makes one: a
 * loader-made entry whose glob is simple. Undefined otherwise (test with `entryTest`).
 */
export const entryShape = (entry: Entry): GlobShape | undefined =>
  entry instanceof LazyEntry ? entry.shape : undefined;

/** `matchesText` for one entry, as a function (made once, for many texts). */
export const entryTest = (entry: Entry): ((text: string) => boolean) =>
  entry instanceof LazyEntry ? entry.test : (text) => entry.regex.test(text);

export function makeEntry(fields: Omit<Entry, 'regex'>): Entry {
  return new LazyEntry(fields);
}

/** A list's entries indexed by position: exact ids by id (the first entry naming it), the rest in file order. */
export interface EntryIndex {
  readonly exactIds: ReadonlyMap<string, number>;
  readonly others: readonly number[];
}

const indexes = new WeakMap<readonly Entry[], EntryIndex>();
const NO_ENTRIES: EntryIndex = Object.freeze({ exactIds: new Map<string, number>(), others: Object.freeze([]) });

/**
 * The index of a list, made once per list: the loader makes it (checking contradictions) and the
 * planner decides with it, so a keep list of 100,000 exact ids is O(1) per item and indexed once.
 */
export function entryIndex(entries: readonly Entry[]): EntryIndex {
  // Most lists of most collections are empty: one shared index, no lookup.
  if (entries.length === 0) return NO_ENTRIES;
  let index = indexes.get(entries);
  if (!index) {
    const exactIds = new Map<string, number>();
    const others: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.field === 'id' && e.exact) {
        if (!exactIds.has(e.pattern)) exactIds.set(e.pattern, i);
      } else others.push(i);
    }
    index = { exactIds, others };
    indexes.set(entries, index);
  }
  return index;
}

const proven = new WeakMap<readonly Entry[], RegExp>();

/**
 * Records that every exact id of `entries` matches `syntax`: the loader normalises each contact id
 * into that form (or refuses it), so it knows this without testing. The planner then need not test
 * the syntax of an observed id that is one of these ids (it equals a valid id).
 */
export function exactIdsMatch(entries: readonly Entry[], syntax: RegExp): void {
  proven.set(entries, syntax);
}

/** Whether every exact id of `entries` is known to match `syntax` (the very RegExp recorded). */
export const exactIdsProven = (entries: readonly Entry[], syntax: RegExp): boolean => proven.get(entries) === syntax;
