import type { Desired } from '../config/model.js';
import type { HttpClient } from '../http/client.js';
import { planActions } from '../plan/plan.js';
import type { Plan } from '../model/plan.js';
import type { AccountSession } from '../providers/types.js';
import { observeAccounts } from './observe-accounts.js';

export interface MakePlanOptions {
  readonly http: HttpClient;
  readonly now: Date;
  readonly validForMs: number;
  readonly targets: readonly string[];
  readonly allowMassDelete: boolean;
  readonly concurrency: number;
  readonly toolVersion: string;
  readonly log?: (line: string) => void;
}

/** Observe everything the config manages, then plan: the two steps of `chatstate plan`. */
export async function makePlan(desired: Desired, options: MakePlanOptions): Promise<{ plan: Plan; sessions: Map<string, AccountSession> }> {
  const observed = await observeAccounts(desired, { http: options.http, now: options.now, concurrency: options.concurrency, ...(options.log ? { log: options.log } : {}) });
  const plan = planActions(desired, observed.collections, {
    now: options.now,
    validForMs: options.validForMs,
    targets: options.targets,
    allowMassDelete: options.allowMassDelete,
    toolVersion: options.toolVersion,
  });
  return { plan, sessions: observed.sessions };
}
