import type { Desired } from '../config/model.js';
import type { HttpClient } from '../http/client.js';
import { baseProtectionRefusals } from '../plan/base-protection.js';
import { allManagedCollections } from '../plan/managed.js';
import { planActions } from '../plan/plan.js';
import { unmatchedTargets, type UnmatchedTarget } from '../plan/target.js';
import type { Plan } from '../model/plan.js';
import type { AccountSession } from '../providers/types.js';
import { observeAccounts } from './observe-accounts.js';

export interface MakePlanOptions {
  readonly http: HttpClient;
  readonly now: Date;
  readonly validForMs: number;
  readonly targets: readonly string[];
  readonly excludes?: readonly string[];
  /** `plan --base`: the config on the target branch; removing what its `protect` entries cover is refused. */
  readonly base?: Desired;
  readonly allowMassDelete: boolean;
  readonly concurrency: number;
  readonly toolVersion: string;
  readonly log?: (line: string) => void;
}

/** Observe everything the config manages, then plan: the two steps of `chatstate plan`. */
export async function makePlan(desired: Desired, options: MakePlanOptions): Promise<{ plan: Plan; sessions: Map<string, AccountSession>; unmatchedTargets: UnmatchedTarget[] }> {
  const observed = await observeAccounts(desired, { http: options.http, now: options.now, concurrency: options.concurrency, ...(options.log ? { log: options.log } : {}) });
  const plan = planActions(desired, observed.collections, {
    now: options.now,
    validForMs: options.validForMs,
    targets: options.targets,
    ...(options.excludes ? { excludes: options.excludes } : {}),
    allowMassDelete: options.allowMassDelete,
    toolVersion: options.toolVersion,
  });
  const addresses = function* () {
    for (const a of desired.accounts) yield `${a.provider}.${a.name}`;
    for (const m of allManagedCollections(desired)) yield m.ref.address;
    for (const c of observed.collections) for (const i of c.items) yield i.address;
  };
  const protectedOnBase = options.base ? baseProtectionRefusals(plan, options.base, observed.collections) : [];
  const checked = protectedOnBase.length === 0 ? plan : { ...plan, refusals: [...plan.refusals, ...protectedOnBase] };
  return { plan: checked, sessions: observed.sessions, unmatchedTargets: options.targets.length > 0 ? unmatchedTargets(options.targets, addresses()) : [] };
}
