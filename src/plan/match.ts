import { type EntryIndex, entryIndex, matchesText } from '../config/entry.js';
import type { Entry } from '../config/model.js';
import type { ObservedItem } from '../model/observed.js';

/**
 * The phone chat id of a GREEN-API contact listed by its LID, once resolved (GetContactInfo): the
 * file may name that person by phone number, so entries match it as well as the LID.
 */
export function resolvedPhone(item: ObservedItem): string | undefined {
  return item.id.endsWith('@lid') && item.facts.kind === 'contact' && item.facts.phone !== undefined
    ? item.facts.phone
    : undefined;
}

/**
 * Whether `entry` names `item`: ids compare exactly (after the loader's normalisation) or by glob; names
 * by glob. `phone`: the item's resolved phone, when its id is a LID (the caller may know it has none).
 */
export function entryMatches(entry: Entry, item: ObservedItem, phone = resolvedPhone(item)): boolean {
  if (entry.field === 'id') {
    if (entry.exact) return entry.pattern === item.id || (phone !== undefined && entry.pattern === phone);
    return matchesText(entry, item.id) || (phone !== undefined && matchesText(entry, phone));
  }
  if (matchesText(entry, item.name)) return true;
  return (
    item.facts.kind === 'contact' && item.facts.contactName !== undefined && matchesText(entry, item.facts.contactName)
  );
}

/**
 * The position in `entries` of the entry that names `item` (an exact id first, else the first
 * pattern in file order), or -1. `idLookedUp`: the caller found no exact entry for the id itself;
 * `phone`: the item's resolved phone (`resolvedPhone`), when the caller has it.
 */
export function firstMatchAt(
  entries: readonly Entry[],
  item: ObservedItem,
  idLookedUp = false,
  index: EntryIndex = entryIndex(entries),
  phone: string | undefined = resolvedPhone(item),
): number {
  if (entries.length === 0) return -1;
  const exact = idLookedUp ? undefined : index.exactIds.get(item.id);
  if (exact !== undefined) return exact;
  const byPhone = phone !== undefined ? index.exactIds.get(phone) : undefined;
  if (byPhone !== undefined) return byPhone;
  for (const i of index.others) if (entryMatches(entries[i]!, item, phone)) return i;
  return -1;
}

/** The entry of `entries` that names `item` (an exact id first, else the first pattern in file order). */
export function firstMatch(entries: readonly Entry[], item: ObservedItem): Entry | undefined {
  const at = firstMatchAt(entries, item);
  return at < 0 ? undefined : entries[at];
}
