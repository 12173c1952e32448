import type { Action } from '../model/action.js';
import type { Plan } from '../model/plan.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `Plan: 12 to delete, 3 groups to leave, 1 instance to delete (after logout).` */
export function summaryLine(plan: Pick<Plan, 'actions'>): string {
  const count = (t: Action['type']) => plan.actions.filter((a) => a.type === t).length;
  const deletes = count('delete-contact') + count('delete-message') + count('delete-number');
  const groups = count('leave-group');
  const instances = count('delete-instance');
  const logouts = count('logout-instance');
  if (plan.actions.length === 0) return 'No changes. The accounts match the configuration.';
  const parts = [`${deletes} to delete`];
  if (groups > 0) parts.push(`${plural(groups, 'group', 'groups')} to leave`);
  if (instances > 0) parts.push(`${plural(instances, 'instance', 'instances')} to delete${logouts > 0 ? ' (after logout)' : ''}`);
  else if (logouts > 0) parts.push(`${plural(logouts, 'instance', 'instances')} to log out`);
  return `Plan: ${parts.join(', ')}.`;
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
