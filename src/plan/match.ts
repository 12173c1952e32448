import type { Entry } from '../config/model.js';
import type { ObservedItem } from '../providers/types.js';

/** Whether `entry` names `item`: ids compare exactly (after the loader's normalisation) or by glob; names by glob. */
export function entryMatches(entry: Entry, item: ObservedItem): boolean {
  if (entry.field === 'id') return entry.exact ? entry.pattern === item.id : entry.regex.test(item.id);
  if (entry.regex.test(item.name)) return true;
  return item.facts.kind === 'contact' && item.facts.contactName !== undefined && entry.regex.test(item.facts.contactName);
}

export const firstMatch = (entries: readonly Entry[], item: ObservedItem): Entry | undefined => entries.find((e) => entryMatches(e, item));
