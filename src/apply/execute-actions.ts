import type { Action, ActionOutcome } from '../model/action.js';
import { actionKey } from '../model/action.js';
import { mapLimit } from '../providers/concurrency.js';
import { type Sessions, sessionFor } from '../providers/registry.js';
import { redact } from '../shared/redact.js';
import { RoundTrip, windowFor } from './lane-window.js';
import { buildLanes } from './lanes.js';

export interface ExecuteOptions {
  /** One per account (`connectAll`). */
  readonly sessions: Sessions;
  /** Lanes (instances, accounts) in flight at once. */
  readonly concurrency: number;
  /** Once aborted, no new request starts; in-flight ones finish. */
  readonly signal?: AbortSignal;
  /** Outcomes already known before any request (a target that re-observation found gone). */
  readonly known?: ReadonlyMap<string, ActionOutcome>;
  readonly onOutcome: (action: Action, outcome: ActionOutcome) => void;
  /** Called right before each request with the actions it carries (the journal's `sending` lines). */
  readonly beforeSend?: (actions: readonly Action[]) => void;
  /** Milliseconds, monotonic, for the lanes' round trips (default `performance.now`). */
  readonly now?: () => number;
}

export interface ExecuteResult {
  /** By action key. Actions never started (interrupted) have no outcome. */
  readonly outcomes: Map<string, ActionOutcome>;
  readonly interrupted: boolean;
  /**
   * A hook threw (the journal could not be written): no request started after it, and its own
   * actions were not sent. Requests already in flight finished.
   */
  readonly halted?: Error;
}

/**
 * Runs actions lane by lane, lanes concurrently. Within a lane, units (one request each) of the
 * same type are independent and several are kept in flight (see `windowFor`: the lane's rate ×
 * its round trip + 1), so a lane is paced by its token buckets, not by latency; a unit of another
 * type waits until every earlier unit of the lane has settled, which keeps every dependency (a
 * group's leave and the contacts before the instance's logout, the logout before the delete).
 * Outcomes are reported in plan order per lane (a unit that finishes early waits for the ones
 * before it), so the journal reads as a sequential run would have written it. A failed action
 * does not stop others; its dependents are skipped. Once `signal` is aborted nothing new starts.
 * Providers never see a dry-run flag: this is only called to change the world.
 */
export async function executeActions(actions: readonly Action[], options: ExecuteOptions): Promise<ExecuteResult> {
  const outcomes = new Map<string, ActionOutcome>();
  const planned = new Set(actions.map(actionKey));
  const now = options.now ?? (() => performance.now());
  let halted: Error | undefined;
  const halt = (err: unknown): void => {
    halted ??= err instanceof Error ? err : new Error(String(err));
  };
  // Interrupted, or halted by a hook: nothing new starts.
  const aborted = (): boolean => options.signal?.aborted === true || halted !== undefined;
  const settle = (action: Action, outcome: ActionOutcome): void => {
    outcomes.set(actionKey(action), outcome);
    try {
      options.onOutcome(action, outcome);
    } catch (err) {
      halt(err);
    }
  };
  const blockedBy = (action: Action): string | undefined =>
    action.dependsOn.find(
      (dep) => planned.has(dep) && ['failed', 'skipped'].includes(outcomes.get(dep)?.outcome ?? 'skipped'),
    );

  const lanes = buildLanes(actions, (a) => sessionFor(options.sessions, a)?.maxBatch(a.type) ?? 1);
  await mapLimit([...lanes.values()], options.concurrency, async (units) => {
    const rtt = new RoundTrip();
    // Units started or decided, in lane order, whose outcomes are not reported yet.
    const pending: { unit: Action[]; results?: ActionOutcome[] }[] = [];
    const release = (): void => {
      for (let head = pending[0]; head?.results; head = pending[0]) {
        pending.shift();
        const results = head.results;
        for (const [i, a] of head.unit.entries()) settle(a, results[i]!);
      }
    };
    const inFlight = new Set<Promise<void>>();
    let flightType: string | undefined;
    const windows = new Map<string, Parameters<typeof windowFor>[0]>();
    for (const unit of units) {
      if (aborted()) break;
      const type = unit[0]!.type;
      if (flightType !== undefined && flightType !== type) {
        // A barrier: every earlier unit settles (and is reported) before this one is decided.
        await Promise.all(inFlight);
        if (aborted()) break;
      }
      const session = sessionFor(options.sessions, unit[0]!);
      if (!windows.has(type)) windows.set(type, session?.requestsFor(unit)[0]?.limit);
      while (inFlight.size >= windowFor(windows.get(type), rtt.ms)) await Promise.race(inFlight);
      if (aborted()) break;
      const slot: { unit: Action[]; results?: ActionOutcome[] } = { unit };
      pending.push(slot);
      const decided: (ActionOutcome | undefined)[] = unit.map((action) => {
        const known = options.known?.get(actionKey(action));
        if (known) return known;
        const blocker = blockedBy(action);
        if (blocker)
          return {
            address: action.address,
            outcome: 'skipped',
            attempts: 0,
            detail: `not attempted: ${blocker} did not succeed`,
          };
        return undefined;
      });
      const runnable = unit.filter((_, i) => decided[i] === undefined);
      if (runnable.length === 0 || !session) {
        slot.results = unit.map(
          (a, i) =>
            decided[i] ?? {
              address: a.address,
              outcome: 'failed',
              attempts: 0,
              detail: `no account ${a.provider}.${a.account} in the config`,
            },
        );
        release();
        continue;
      }
      try {
        options.beforeSend?.(runnable);
      } catch (err) {
        // Not sent: only what was decided without a request is reported.
        halt(err);
        pending.pop();
        for (const [i, a] of unit.entries()) {
          const outcome = decided[i];
          if (outcome) settle(a, outcome);
        }
        break;
      }
      flightType = type;
      const started = now();
      const request = session
        .execute(runnable)
        .catch((err: unknown): ActionOutcome[] =>
          runnable.map((a) => ({
            address: a.address,
            outcome: 'failed',
            attempts: 0,
            detail: redact(err instanceof Error ? err.message : String(err)),
          })),
        )
        .then((results) => {
          rtt.add(now() - started);
          let r = 0;
          slot.results = unit.map(
            (a, i) =>
              decided[i] ??
              results[r++] ?? { address: a.address, outcome: 'failed', attempts: 0, detail: 'no outcome returned' },
          );
          inFlight.delete(request);
          release();
        });
      inFlight.add(request);
    }
    await Promise.all(inFlight);
    release();
  });
  return { outcomes, interrupted: options.signal?.aborted === true, ...(halted ? { halted } : {}) };
}
