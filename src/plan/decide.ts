import type { Entry, MessagePolicy } from '../config/model.js';
import type { ObservedCollection, ObservedItem } from '../providers/types.js';
import type { ManagedCollection } from './managed.js';
import { firstMatch } from './match.js';
import type { Decision } from './types.js';

export interface ItemDecision extends Decision {
  readonly item: ObservedItem;
  /** The `remove` entry that removed it (for per-entry options such as allowLastAdminLeave). */
  readonly entry?: Entry;
}

const describeMs = (ms: number): string => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);

/** The retention rule of a messages collection, when it applies to this message. */
function retention(policy: MessagePolicy, item: ObservedItem, now: Date): string | undefined {
  if (policy.olderThanMs === undefined || item.facts.kind !== 'message') return undefined;
  const age = now.getTime() - Date.parse(item.facts.sentAt);
  if (!(age > policy.olderThanMs)) return undefined;
  if (policy.sentBy && !policy.sentBy.includes(item.facts.sentBy)) return undefined;
  return `older than ${describeMs(policy.olderThanMs)}${policy.sentBy ? `, sent by ${item.facts.sentBy}` : ''}`;
}

/**
 * Decides one observed item. Precedence: own ids and managed instances, then `protect`, then
 * `remove`, then `keep`, then retention, then prune. Protection wins over everything.
 */
export function decideItem(managed: ManagedCollection, observed: Pick<ObservedCollection, 'ownIds'>, item: ObservedItem, now: Date): ItemDecision {
  const base = { id: item.id, name: item.name, item };
  const policy = managed.policy;
  if (observed.ownIds.includes(item.id)) return { ...base, decision: 'protected', rule: 'own number' };
  if (managed.managedIds?.includes(item.id)) return { ...base, decision: 'protected', rule: 'its collections are managed in this file' };
  const protect = firstMatch(policy.protect, item);
  if (protect) return { ...base, decision: 'protected', rule: `protect: ${protect.text}` };
  const remove = firstMatch(policy.remove, item);
  if (remove) return { ...base, decision: 'remove', rule: `listed under remove: ${remove.text}`, entry: remove };
  const keep = firstMatch(policy.keep, item);
  if (keep) return { ...base, decision: 'keep', rule: `keep: ${keep.text}` };
  const retained = 'olderThanMs' in policy ? retention(policy as MessagePolicy, item, now) : undefined;
  if (retained) return { ...base, decision: 'remove', rule: retained };
  if (policy.prune) return { ...base, decision: 'remove', rule: 'not kept (prune: true)' };
  return { ...base, decision: 'unmanaged', rule: 'not mentioned (prune: false)' };
}

/** The ids a plan might remove from `items`: the observe hook that limits costly lookups. */
export function mayRemove(managed: ManagedCollection, items: readonly ObservedItem[], now: Date): Set<string> {
  const out = new Set<string>();
  for (const item of items) if (decideItem(managed, { ownIds: [] }, item, now).decision === 'remove') out.add(item.id);
  return out;
}

/** Exact ids named by `keep` or `remove` that were not observed. */
export function missingIds(managed: ManagedCollection, items: readonly ObservedItem[]): string[] {
  const seen = new Set(items.map((i) => i.id));
  const named = [...managed.policy.keep, ...managed.policy.remove].filter((e) => e.field === 'id' && e.exact).map((e) => e.pattern);
  return [...new Set(named)].filter((id) => !seen.has(id)).sort();
}
