import { type Recheck, recheckPlan } from '../apply/verify.js';
import type { Desired } from '../config/model.js';
import type { Plan } from '../model/plan.js';
import type { Sessions } from '../providers/registry.js';
import { observeAccounts } from './observe-accounts.js';

/**
 * Before a saved plan is applied: observe again only the collections its actions touch, and compare
 * (apply/verify.ts recheckPlan): targets already gone settle as `already-absent`, new removals are
 * drift to report, never to act on.
 */
export async function recheckSavedPlan(plan: Plan, desired: Desired, sessions: Sessions, now: Date): Promise<Recheck> {
  const touched = new Set(plan.actions.map((a) => a.collection));
  const observed = await observeAccounts(desired, sessions, { now, only: touched });
  return recheckPlan(plan, desired, observed, now);
}
