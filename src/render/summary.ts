import type { Action } from '../model/action.js';
import type { Plan } from '../model/plan.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `3 collections could not be observed: a, b, c` (at most five named). */
export function unobservedLine(errors: Plan['errors']): string {
  const names = errors.slice(0, 5).map((e) => e.collection);
  const more = errors.length > names.length ? ` and ${errors.length - names.length} more` : '';
  return `${plural(errors.length, 'collection', 'collections')} could not be observed: ${names.join(', ')}${more}`;
}

/**
 * `Plan: 10 to delete (4 restorable), 2 groups to leave, 1 instance to delete (after logout) — 9 irreversible.`
 * Never says the accounts match when a collection could not be observed or when --target narrowed it.
 */
export function summaryLine(plan: Pick<Plan, 'actions'> & Partial<Pick<Plan, 'errors' | 'targets'>>): string {
  const errors = plan.errors ?? [];
  const unobserved = errors.length > 0 ? ` ${unobservedLine(errors)}; nothing is planned for them.` : '';
  if (plan.actions.length === 0) {
    if (errors.length > 0) return `No changes planned, but the plan is incomplete: ${unobservedLine(errors)}.`;
    if ((plan.targets ?? []).length > 0) return 'No changes in the targeted resources.';
    return 'No changes. The accounts match the configuration.';
  }
  let deletes = 0;
  let restorable = 0;
  let groups = 0;
  let instances = 0;
  let logouts = 0;
  let irreversible = 0;
  for (const a of plan.actions) {
    if (a.type === 'logout-instance') logouts++;
    else if (a.type === 'leave-group') groups++;
    else if (a.type === 'delete-instance') instances++;
    else {
      deletes++;
      if (a.reversible) restorable++;
    }
    if (a.type !== 'logout-instance' && !a.reversible) irreversible++;
  }
  const parts = [`${deletes} to delete (${restorable} restorable)`];
  if (groups > 0) parts.push(`${plural(groups, 'group', 'groups')} to leave`);
  if (instances > 0)
    parts.push(`${plural(instances, 'instance', 'instances')} to delete${logouts > 0 ? ' (after logout)' : ''}`);
  else if (logouts > 0) parts.push(`${plural(logouts, 'instance', 'instances')} to log out`);
  return `Plan: ${parts.join(', ')}${irreversible > 0 ? ` — ${irreversible} irreversible` : ''}.${unobserved}`;
}

/** What each action type does, as a verb phrase for people. */
export const ACTION_VERB: Readonly<Record<Action['type'], string>> = {
  'delete-contact': 'delete contact',
  'leave-group': 'leave group',
  'logout-instance': 'log out instance',
  'delete-instance': 'delete instance',
  'delete-message': 'delete message',
  'delete-number': 'delete number',
};
