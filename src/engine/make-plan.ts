import type { Desired } from '../config/model.js';
import type { HttpClient } from '../http/client.js';
import type { Plan } from '../model/plan.js';
import { baseProtectionRefusals } from '../plan/base-protection.js';
import { allManagedCollections } from '../plan/managed.js';
import { planActions } from '../plan/plan.js';
import { type UnmatchedTarget, unmatchedTargets } from '../plan/target.js';
import { connectAll, type Sessions } from '../providers/registry.js';
import { observeAccounts } from './observe-accounts.js';

export interface MakePlanOptions {
  readonly http: HttpClient;
  /** The run's sessions (`connectAll`); connected here when absent. */
  readonly sessions?: Sessions;
  readonly now: Date;
  readonly validForMs: number;
  readonly targets: readonly string[];
  readonly excludes?: readonly string[];
  /** `plan --base`: the config on the target branch; removing what its `protect` entries cover is refused. */
  readonly base?: Desired;
  readonly allowMassDelete: boolean;
  /** Concurrent requests per account while observing (for sessions connected here). */
  readonly concurrency: number;
  readonly toolVersion: string;
  readonly log?: (line: string) => void;
  /** From the apply journal: what chatstate deleted, and when (propagation lag). */
  readonly recentlyDeleted?: ReadonlyMap<string, string>;
}

/** Observe everything the config manages, then plan: the two steps of `chatstate plan`. */
export async function makePlan(
  desired: Desired,
  options: MakePlanOptions,
): Promise<{ plan: Plan; sessions: Sessions; unmatchedTargets: UnmatchedTarget[] }> {
  const sessions = options.sessions ?? connectAll(desired, options.http, options.concurrency);
  const collections = await observeAccounts(desired, sessions, {
    now: options.now,
    ...(options.log ? { log: options.log } : {}),
  });
  const plan = planActions(desired, collections, {
    now: options.now,
    validForMs: options.validForMs,
    targets: options.targets,
    ...(options.excludes ? { excludes: options.excludes } : {}),
    allowMassDelete: options.allowMassDelete,
    toolVersion: options.toolVersion,
    ...(options.recentlyDeleted ? { recentlyDeleted: options.recentlyDeleted } : {}),
  });
  const addresses = function* () {
    for (const a of desired.accounts) yield `${a.provider}.${a.name}`;
    for (const m of allManagedCollections(desired)) yield m.ref.address;
    for (const c of collections) for (const i of c.items) yield i.address;
  };
  const protectedOnBase = options.base ? baseProtectionRefusals(plan, options.base, collections) : [];
  const checked = protectedOnBase.length === 0 ? plan : { ...plan, refusals: [...plan.refusals, ...protectedOnBase] };
  return {
    plan: checked,
    sessions,
    unmatchedTargets: options.targets.length > 0 ? unmatchedTargets(options.targets, addresses()) : [],
  };
}
