import type { ActionOutcome } from '../model/action.js';
import type { Action } from '../model/action.js';
import { actionKey } from '../model/action.js';

export interface ApplyCounts {
  readonly deleted: number;
  readonly loggedOut: number;
  readonly alreadyAbsent: number;
  readonly partial: number;
  readonly failed: number;
  readonly skipped: number;
  /** Skipped because a plan made at apply time would not make them (`stale`). */
  readonly notSent: number;
  readonly notStarted: number;
}

export function countOutcomes(actions: readonly Action[], outcomes: ReadonlyMap<string, ActionOutcome>): ApplyCounts {
  const c = { deleted: 0, loggedOut: 0, alreadyAbsent: 0, partial: 0, failed: 0, skipped: 0, notSent: 0, notStarted: 0 };
  for (const a of actions) {
    const outcome = outcomes.get(actionKey(a));
    const o = outcome?.outcome;
    if (o === undefined) c.notStarted++;
    else if (o === 'skipped' && outcome?.stale) c.notSent++;
    else if (o === 'already-absent') c.alreadyAbsent++;
    else if (o === 'failed') c.failed++;
    else if (o === 'skipped') c.skipped++;
    else if (a.type === 'logout-instance') c.loggedOut++;
    else {
      c.deleted++;
      if (o === 'partial') c.partial++;
    }
  }
  return c;
}

/** `Apply complete: 41 deleted, 3 already absent, 1 failed.` with details in brackets when there are any. */
export function applySummary(c: ApplyCounts, interrupted: boolean): string {
  const extra = [
    c.loggedOut > 0 ? `${c.loggedOut} logged out` : '',
    c.partial > 0 ? `${c.partial} partial` : '',
    c.notSent > 0 ? `${c.notSent} not sent: a plan made now would not make ${c.notSent === 1 ? 'it' : 'them'}` : '',
    c.skipped > 0 ? `${c.skipped} skipped after a failure` : '',
    c.notStarted > 0 ? `${c.notStarted} not started` : '',
  ].filter(Boolean);
  const head = interrupted ? 'Apply interrupted' : 'Apply complete';
  const tail = interrupted ? ' Run apply again to finish.' : '';
  return `${head}: ${c.deleted} deleted, ${c.alreadyAbsent} already absent, ${c.failed} failed${extra.length > 0 ? ` (${extra.join(', ')})` : ''}.${tail}`;
}
