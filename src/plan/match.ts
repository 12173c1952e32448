import type { Entry } from '../config/model.js';
import type { ObservedItem } from '../model/observed.js';

/**
 * The phone chat id of a GREEN-API contact listed by its LID, once resolved (GetContactInfo): the
 * file may name that person by phone number, so entries match it as well as the LID.
 */
export function resolvedPhone(item: ObservedItem): string | undefined {
  return item.facts.kind === 'contact' && item.facts.phone !== undefined && item.id.endsWith('@lid')
    ? item.facts.phone
    : undefined;
}

/** Whether `entry` names `item`: ids compare exactly (after the loader's normalisation) or by glob; names by glob. */
export function entryMatches(entry: Entry, item: ObservedItem): boolean {
  if (entry.field === 'id') {
    const phone = resolvedPhone(item);
    if (entry.exact) return entry.pattern === item.id || (phone !== undefined && entry.pattern === phone);
    return entry.regex.test(item.id) || (phone !== undefined && entry.regex.test(phone));
  }
  if (entry.regex.test(item.name)) return true;
  return (
    item.facts.kind === 'contact' && item.facts.contactName !== undefined && entry.regex.test(item.facts.contactName)
  );
}

interface EntryIndex {
  readonly exactIds: ReadonlyMap<string, Entry>;
  readonly others: readonly Entry[];
}

const indexes = new WeakMap<readonly Entry[], EntryIndex>();

/** Exact-id entries in a map, the rest (globs, names) in file order: a keep list of 100,000 ids stays O(1) per item. */
function indexOf(entries: readonly Entry[]): EntryIndex {
  let index = indexes.get(entries);
  if (!index) {
    const exactIds = new Map<string, Entry>();
    const others: Entry[] = [];
    for (const e of entries) {
      if (e.field === 'id' && e.exact) {
        if (!exactIds.has(e.pattern)) exactIds.set(e.pattern, e);
      } else others.push(e);
    }
    index = { exactIds, others };
    indexes.set(entries, index);
  }
  return index;
}

/** The entry of `entries` that names `item` (an exact id first, else the first pattern in file order). */
export function firstMatch(entries: readonly Entry[], item: ObservedItem): Entry | undefined {
  if (entries.length === 0) return undefined;
  const index = indexOf(entries);
  const phone = resolvedPhone(item);
  return (
    index.exactIds.get(item.id) ??
    (phone !== undefined ? index.exactIds.get(phone) : undefined) ??
    index.others.find((e) => entryMatches(e, item))
  );
}
