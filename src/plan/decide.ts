import type { Entry, MessagePolicy } from '../config/model.js';
import type { ObservedItem } from '../model/observed.js';
import type { DecisionKind } from '../model/plan.js';
import { ownIdKey } from '../shared/ids.js';
import type { ManagedCollection } from './managed.js';
import { entryMatches, firstMatch } from './match.js';

/** What decided one item. Verdicts of entries are shared objects: deciding a million items allocates little. */
export interface Verdict {
  readonly decision: DecisionKind;
  readonly rule: string;
  /** The `remove` entry that removed it (for per-entry options such as allowLastAdminLeave). */
  readonly entry?: Entry;
}

/** A removal: the observed item and the verdict that removes it. */
export interface Removal {
  readonly item: ObservedItem;
  readonly verdict: Verdict;
}

const OWN: Verdict = { decision: 'protected', rule: 'own number' };
const MANAGED_INSTANCE: Verdict = { decision: 'protected', rule: 'its collections are managed in this file' };
const PRUNED: Verdict = { decision: 'remove', rule: 'not kept (prune: true)' };
/**
 * A GREEN-API contact listed only by its LID whose phone number could not be read: the file may keep
 * it by phone without chatstate knowing, and DeleteContact takes a phone number anyway. Never removed.
 */
export const UNRESOLVED_LID: Verdict = { decision: 'protected', rule: 'unresolved LID' };
const UNMANAGED: Verdict = { decision: 'unmanaged', rule: 'not mentioned (prune: false)' };

const verdicts = new WeakMap<Entry, Verdict>();
function entryVerdict(entry: Entry, decision: DecisionKind): Verdict {
  let v = verdicts.get(entry);
  if (!v) {
    const rule =
      decision === 'protected'
        ? `protect: ${entry.text}`
        : decision === 'remove'
          ? `listed under remove: ${entry.text}`
          : `keep: ${entry.text}`;
    v = decision === 'remove' ? { decision, rule, entry } : { decision, rule };
    verdicts.set(entry, v);
  }
  return v;
}

const describeMs = (ms: number): string =>
  ms % 86_400_000 === 0
    ? `${ms / 86_400_000}d`
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000}h`
      : `${Math.round(ms / 60_000)}m`;

/** The retention rule of a messages collection, when it applies to this message. */
function retention(policy: MessagePolicy, item: ObservedItem, now: Date): Verdict | undefined {
  if (policy.olderThanMs === undefined || item.facts.kind !== 'message') return undefined;
  const age = now.getTime() - Date.parse(item.facts.sentAt);
  if (!(age > policy.olderThanMs)) return undefined;
  if (policy.sentBy && !policy.sentBy.includes(item.facts.sentBy)) return undefined;
  return {
    decision: 'remove',
    rule: `older than ${describeMs(policy.olderThanMs)}${policy.sentBy ? `, sent by ${item.facts.sentBy}` : ''}`,
  };
}

const ownKeys = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The own ids, and any observed variant of them (case, spaces, `+`, bare digits): issue 12, point 5. */
function isOwn(ownIds: readonly string[], id: string): boolean {
  if (ownIds.includes(id)) return true;
  let keys = ownKeys.get(ownIds);
  if (!keys) {
    keys = new Set(ownIds.map(ownIdKey));
    ownKeys.set(ownIds, keys);
  }
  return keys.has(ownIdKey(id));
}

/**
 * Decides one observed item. Precedence: own ids and managed instances, then `protect`, then
 * `keep`, then `remove`, then retention, then prune. Protection wins over everything; keep wins
 * over every remove entry.
 */
export function decideItem(
  managed: ManagedCollection,
  ownIds: readonly string[],
  item: ObservedItem,
  now: Date,
): Verdict {
  const verdict = decideOne(managed, ownIds, item, now);
  return verdict.decision === 'remove' && isUnresolvedLid(managed, item) ? UNRESOLVED_LID : verdict;
}

const isUnresolvedLid = (managed: ManagedCollection, item: ObservedItem): boolean =>
  managed.provider === 'green-api' &&
  item.facts.kind === 'contact' &&
  item.id.endsWith('@lid') &&
  item.facts.phone === undefined;

function decideOne(managed: ManagedCollection, ownIds: readonly string[], item: ObservedItem, now: Date): Verdict {
  const policy = managed.policy;
  if (ownIds.length > 0 && isOwn(ownIds, item.id)) return OWN;
  if (managed.managedIds?.includes(item.id)) return MANAGED_INSTANCE;
  const protect = firstMatch(policy.protect, item);
  if (protect) return entryVerdict(protect, 'protected');
  // Keep beats remove (docs/config.md): a remove glob never takes what the file keeps. An exact
  // remove id that an exact keep id also names is refused by the loader.
  const keep = firstMatch(policy.keep, item);
  if (keep) return entryVerdict(keep, 'keep');
  const remove = firstMatch(policy.remove, item);
  if (remove) return entryVerdict(remove, 'remove');
  const retained = 'olderThanMs' in policy ? retention(policy as MessagePolicy, item, now) : undefined;
  if (retained) return retained;
  return policy.prune ? PRUNED : UNMANAGED;
}

/** The ids a plan might remove from `items`: the observe hook that limits costly lookups. */
export function mayRemove(managed: ManagedCollection, items: readonly ObservedItem[], now: Date): Set<string> {
  const out = new Set<string>();
  // decideOne: a LID contact not yet resolved is a candidate, so that its phone number gets read.
  for (const item of items) if (decideOne(managed, [], item, now).decision === 'remove') out.add(item.id);
  return out;
}

/**
 * Exact ids the file keeps that were not observed (chatstate cannot create them: a warning).
 * A `remove` id that is absent is simply already done, and not reported.
 */
export function missingIds(managed: ManagedCollection, items: readonly ObservedItem[]): string[] {
  const named = managed.policy.keep.filter((e) => e.field === 'id' && e.exact).map((e) => e.pattern);
  if (named.length === 0) return [];
  const seen = new Set(items.map((i) => i.id));
  for (const i of items)
    if (i.facts.kind === 'contact' && i.facts.phone !== undefined && i.id.endsWith('@lid')) seen.add(i.facts.phone);
  return [...new Set(named)].filter((id) => !seen.has(id)).sort();
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

/**
 * Warnings for `keep`, `protect` and `remove` patterns (globs and names) that match nothing
 * observed, naming the entry and its line. Globs are case-sensitive; when a pattern would match
 * ignoring case, the warning says so. Exact ids are not patterns: a missing kept id has its own
 * warning, and a missing removed id is simply already gone.
 */
export function unmatchedEntries(managed: ManagedCollection, items: readonly ObservedItem[]): string[] {
  const out: string[] = [];
  for (const list of ['keep', 'protect', 'remove'] as const) {
    for (const entry of managed.policy[list]) {
      if (entry.exact && entry.field === 'id') continue;
      if (items.some((item) => entryMatches(entry, item))) continue;
      const loose = ignoringCase(entry);
      const caseOnly = matchesSome(loose, items, entryMatches);
      const hint = caseOnly > 0 ? `; ignoring case it would match ${caseOnly} (patterns are case-sensitive)` : '';
      out.push(`${list} entry \`${entry.text}\` (line ${entry.at.line}) matches nothing observed${hint}`);
    }
  }
  return out;
}
