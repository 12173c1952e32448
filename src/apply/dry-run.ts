import { redactRequest } from '../http/client.js';
import type { Action } from '../model/action.js';
import { type Sessions, sessionFor } from '../providers/registry.js';
import { buildLanes } from './lanes.js';

/**
 * The requests apply would send, in order, redacted: what reviewers see for `--dry-run`. Built
 * with `requestsFor` only; no request is sent.
 */
export function dryRunLines(actions: readonly Action[], sessions: Sessions): string[] {
  const lanes = buildLanes(actions, (a) => sessionFor(sessions, a)?.maxBatch(a.type) ?? 1);
  const lines: string[] = [];
  for (const units of lanes.values()) {
    for (const unit of units) {
      const session = sessionFor(sessions, unit[0]!);
      if (!session) continue;
      for (const spec of session.requestsFor(unit)) {
        const r = redactRequest(spec);
        const what = unit.length === 1 ? unit[0]!.address : `${unit.length} actions: ${unit[0]!.address} …`;
        lines.push(
          `${r.method} ${r.url}${r.body !== undefined ? ` ${JSON.stringify(r.body)}` : ''}  # ${unit[0]!.type} ${what}`,
        );
      }
    }
  }
  return lines;
}
