import type { Desired } from '../config/model.js';
import { actionKey } from '../model/action.js';
import { allManagedCollections } from '../plan/managed.js';
import { planActions } from '../plan/plan.js';
import type { Plan } from '../model/plan.js';
import type { ActionOutcome } from '../model/action.js';
import type { ObservedCollection } from '../model/observed.js';
import { redact } from '../shared/redact.js';

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
  if (age > maxAgeMs) return `the plan was made ${Math.round(age / 60_000)} minutes ago, more than --max-age allows; run plan again`;
  if (plan.errors.length > 0 || plan.refusals.length > 0) return 'the plan file records errors or refusals and cannot be applied; run plan again';
  const managed = new Set(allManagedCollections(desired).map((m) => m.ref.address));
  const stray = plan.actions.find((a) => !managed.has(a.collection) || !a.address.startsWith(`${a.provider}.${a.account}/`));
  if (stray) return `the plan file lists ${stray.address}, which the config does not manage; the file was edited or belongs to another config`;
  return undefined;
}

export interface Recheck {
  /** Outcomes settled without a request: targets already gone, or collections that could not be re-read. */
  readonly known: Map<string, ActionOutcome>;
  /** Removals a plan made now would add: reported, never acted on. */
  readonly drift: string[];
}

/** Compares the saved plan with a fresh observation of the collections it touches. */
export function recheckPlan(plan: Plan, desired: Desired, observed: readonly ObservedCollection[], now: Date): Recheck {
  const byAddress = new Map(observed.map((c) => [c.ref.address, c]));
  const known = new Map<string, ActionOutcome>();
  const ids = new Map(observed.map((c) => [c.ref.address, new Set(c.items.map((i) => i.id))]));
  for (const action of plan.actions) {
    const collection = byAddress.get(action.collection);
    if (!collection || collection.error) {
      known.set(actionKey(action), {
        address: action.address,
        outcome: 'failed',
        attempts: 0,
        detail: `could not re-check that the target still exists: ${redact(collection?.error?.message ?? 'not observed')}`,
      });
    } else if (!ids.get(action.collection)?.has(action.target.id)) {
      known.set(actionKey(action), { address: action.address, outcome: 'already-absent', attempts: 0, detail: 'gone before apply' });
    }
  }
  const fresh = planActions(desired, observed, { now, validForMs: 0, targets: plan.targets, allowMassDelete: true, toolVersion: plan.tool.version });
  const reviewed = new Set(plan.actions.map(actionKey));
  const drift = fresh.actions.filter((a) => !reviewed.has(actionKey(a))).map((a) => `${a.type} ${a.address} (${a.reason})`);
  return { known, drift };
}
