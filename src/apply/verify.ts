import type { Desired } from '../config/model.js';
import type { Plan } from '../model/plan.js';
import { allManagedCollections } from '../plan/managed.js';
import { inconsistentActions, redecidePlan } from '../plan/redecide.js';

/**
 * Why a saved plan must not be applied to this config at this time, or undefined. Every answer
 * says what to do next.
 */
export function refusePlanFile(plan: Plan, desired: Desired, now: Date, maxAgeMs: number): string | undefined {
  if (plan.configDigest !== desired.digest) {
    return `the config ${desired.file} changed since the plan was made (plan ${plan.configDigest.slice(0, 19)}…, config now ${desired.digest.slice(0, 19)}…); run plan again and review the new plan`;
  }
  if (now.getTime() > Date.parse(plan.expiresAt)) return `the plan expired at ${plan.expiresAt}; run plan again`;
  const age = now.getTime() - Date.parse(plan.createdAt);
  if (age > maxAgeMs)
    return `the plan was made ${Math.round(age / 60_000)} minutes ago, more than --max-age allows; run plan again`;
  if (plan.errors.length > 0 || plan.refusals.length > 0)
    return 'the plan file records errors or refusals and cannot be applied; run plan again';
  const managed = new Set(allManagedCollections(desired).map((m) => m.ref.address));
  const stray = plan.actions.find(
    (a) => !managed.has(a.collection) || !a.address.startsWith(`${a.provider}.${a.account}/`),
  );
  if (stray)
    return `the plan file lists ${stray.address}, which the config does not manage; the file was edited or belongs to another config`;
  const inconsistent = inconsistentActions(plan, desired);
  if (inconsistent.length > 0) {
    return `${inconsistent.length} action${inconsistent.length === 1 ? ' contradicts' : 's contradict'} itself (the file was edited or belongs to another config); nothing was sent. Run plan again.\n  ${inconsistent.slice(0, 10).join('\n  ')}`;
  }
  return undefined;
}

export type { Redecision as Recheck } from '../plan/redecide.js';

/**
 * Compares the saved plan with a fresh observation of the collections it touches: every reviewed
 * action is decided again (plan/redecide.ts); only those a plan made now would make may be sent.
 */
export const recheckPlan = redecidePlan;
