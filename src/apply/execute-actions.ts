import { actionKey } from '../model/action.js';
import { mapLimit } from '../providers/concurrency.js';
import type { AccountSession } from '../providers/types.js';
import type { Action, ActionOutcome } from '../model/action.js';
import { buildLanes } from './lanes.js';

export interface ExecuteOptions {
  /** Keyed `provider.account`. */
  readonly sessions: ReadonlyMap<string, AccountSession>;
  /** Lanes (instances, accounts) in flight at once. */
  readonly concurrency: number;
  /** Once aborted, no new request starts; in-flight ones finish. */
  readonly signal?: AbortSignal;
  /** Outcomes already known before any request (a target that re-observation found gone). */
  readonly known?: ReadonlyMap<string, ActionOutcome>;
  readonly onOutcome: (action: Action, outcome: ActionOutcome) => void;
}

export interface ExecuteResult {
  /** By action key. Actions never started (interrupted) have no outcome. */
  readonly outcomes: Map<string, ActionOutcome>;
  readonly interrupted: boolean;
}

const sessionKey = (a: Action): string => `${a.provider}.${a.account}`;

/**
 * Runs actions lane by lane: each lane in plan (dependency) order, lanes concurrently. A failed
 * action does not stop others; its dependents are skipped. Providers never see a dry-run flag:
 * this is only called to change the world.
 */
export async function executeActions(actions: readonly Action[], options: ExecuteOptions): Promise<ExecuteResult> {
  const outcomes = new Map<string, ActionOutcome>();
  const planned = new Set(actions.map(actionKey));
  const settle = (action: Action, outcome: ActionOutcome): void => {
    outcomes.set(actionKey(action), outcome);
    options.onOutcome(action, outcome);
  };
  const blockedBy = (action: Action): string | undefined =>
    action.dependsOn.find((dep) => planned.has(dep) && ['failed', 'skipped'].includes(outcomes.get(dep)?.outcome ?? 'skipped'));

  const lanes = buildLanes(actions, (a) => options.sessions.get(sessionKey(a))?.maxBatch(a.type) ?? 1);
  await mapLimit([...lanes.values()], options.concurrency, async (units) => {
    for (const unit of units) {
      if (options.signal?.aborted) return;
      const runnable: Action[] = [];
      for (const action of unit) {
        const known = options.known?.get(actionKey(action));
        const blocker = blockedBy(action);
        if (known) settle(action, known);
        else if (blocker) settle(action, { address: action.address, outcome: 'skipped', attempts: 0, detail: `not attempted: ${blocker} did not succeed` });
        else runnable.push(action);
      }
      if (runnable.length === 0) continue;
      const session = options.sessions.get(sessionKey(runnable[0]!));
      if (!session) {
        for (const a of runnable) settle(a, { address: a.address, outcome: 'failed', attempts: 0, detail: `no account ${sessionKey(a)} in the config` });
        continue;
      }
      const results = await session.execute(runnable);
      runnable.forEach((a, i) => settle(a, results[i] ?? { address: a.address, outcome: 'failed', attempts: 0, detail: 'no outcome returned' }));
    }
  });
  return { outcomes, interrupted: Boolean(options.signal?.aborted) };
}
