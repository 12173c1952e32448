import type { Desired, Entry } from '../config/model.js';
import type { ObservedCollection, ObservedItem } from '../model/observed.js';
import type { Plan, Refusal } from '../model/plan.js';
import { allManagedCollections } from './managed.js';
import { firstMatch } from './match.js';

/**
 * `plan --base FILE`: a protection cannot be removed in the same change that uses it. Every removal
 * of this plan whose resource a `protect` entry of the base config (the file on the target branch)
 * covers is refused, whatever the new file says. Pure: the base config, the plan and what was
 * observed in, refusals out.
 */
export function baseProtectionRefusals(
  plan: Pick<Plan, 'actions'>,
  base: Desired,
  observed: readonly ObservedCollection[],
): Refusal[] {
  const protects = new Map<string, readonly Entry[]>();
  for (const m of allManagedCollections(base))
    if (m.policy.protect.length > 0) protects.set(m.ref.address, m.policy.protect);
  if (protects.size === 0) return [];
  const items = new Map<string, ObservedItem>();
  for (const o of observed) if (protects.has(o.ref.address)) for (const item of o.items) items.set(item.address, item);
  const refusals: Refusal[] = [];
  const seen = new Set<string>();
  for (const a of plan.actions) {
    const protect = protects.get(a.collection);
    const item = protect ? items.get(a.address) : undefined;
    if (!protect || !item || seen.has(a.address)) continue;
    const entry = firstMatch(protect, item);
    if (!entry) continue;
    seen.add(a.address);
    refusals.push({
      kind: 'base-protection',
      address: a.address,
      message: `refusing to remove ${a.address}${item.name ? ` ("${item.name}")` : ''}: \`protect: ${entry.text}\` covers it in ${base.file} (line ${entry.at.line}), the config on the target branch. Remove the protection in its own pull request first; once that is merged, remove the resource in another`,
    });
  }
  return refusals;
}
