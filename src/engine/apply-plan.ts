import { executeActions } from '../apply/execute-actions.js';
import { countOutcomes } from '../apply/summary.js';
import { type Action, type ActionOutcome, actionKey } from '../model/action.js';
import type { ApplyReport } from '../model/apply-report.js';
import type { Plan } from '../model/plan.js';
import type { Sessions } from '../providers/registry.js';

export interface ApplyPlanOptions {
  /** Lanes (instances, accounts) in flight at once. */
  readonly concurrency: number;
  /** Once aborted, no new request starts; in-flight ones finish; the report says `interrupted`. */
  readonly signal?: AbortSignal;
  /** Outcomes settled before any request (targets a re-check found gone). */
  readonly known?: ReadonlyMap<string, ActionOutcome>;
  /** Called once per action as soon as its outcome is known (journal, progress). */
  readonly onOutcome?: (action: Action, outcome: ActionOutcome) => void;
  /** Called right before each request with the actions it carries (the journal's `sending` lines); if it throws, apply halts. */
  readonly beforeSend?: (actions: readonly Action[]) => void;
}

/**
 * Executes a plan's actions through the run's sessions, lane by lane (apply/execute-actions.ts), and
 * reports every action's outcome. Deciding whether to apply (verification, confirmation) is done
 * before; showing the report is `render/apply-report.ts`.
 */
export async function applyPlan(
  plan: Pick<Plan, 'actions'>,
  sessions: Sessions,
  options: ApplyPlanOptions,
): Promise<ApplyReport> {
  const result = await executeActions(plan.actions, {
    sessions,
    concurrency: options.concurrency,
    ...(options.known ? { known: options.known } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onOutcome: options.onOutcome ?? (() => undefined),
    ...(options.beforeSend ? { beforeSend: options.beforeSend } : {}),
  });
  const results = plan.actions.map((a) => {
    const o = result.outcomes.get(actionKey(a));
    return {
      address: a.address,
      type: a.type,
      outcome: o?.outcome ?? 'not-started',
      attempts: o?.attempts ?? 0,
      ...(o?.status !== undefined ? { status: o.status } : {}),
      ...(o?.detail !== undefined ? { detail: o.detail } : {}),
    } as const;
  });
  return {
    results,
    counts: countOutcomes(plan.actions, result.outcomes),
    interrupted: result.interrupted,
    ...(result.halted ? { halted: result.halted } : {}),
  };
}
