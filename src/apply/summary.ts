import type { Action, ActionOutcome } from '../model/action.js';
import { actionKey } from '../model/action.js';
import type { ApplyCounts } from '../model/apply-report.js';

export function countOutcomes(actions: readonly Action[], outcomes: ReadonlyMap<string, ActionOutcome>): ApplyCounts {
  const c = {
    deleted: 0,
    loggedOut: 0,
    alreadyAbsent: 0,
    partial: 0,
    failed: 0,
    skipped: 0,
    notSent: 0,
    notStarted: 0,
  };
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
