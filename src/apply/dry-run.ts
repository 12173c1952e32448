import { redactRequest } from '../http/client.js';
import type { AccountSession } from '../providers/types.js';
import type { Action } from '../model/action.js';
import { buildLanes } from './lanes.js';

/**
 * The requests apply would send, in order, redacted: what reviewers see for `--dry-run`. Built
 * with `requestsFor` only; no request is sent.
 */
export function dryRunLines(actions: readonly Action[], sessions: ReadonlyMap<string, AccountSession>): string[] {
  const lanes = buildLanes(actions, (a) => sessions.get(`${a.provider}.${a.account}`)?.maxBatch(a.type) ?? 1);
  const lines: string[] = [];
  for (const units of lanes.values()) {
    for (const unit of units) {
      const session = sessions.get(`${unit[0]!.provider}.${unit[0]!.account}`);
      if (!session) continue;
      for (const spec of session.requestsFor(unit)) {
        const r = redactRequest(spec);
        const what = unit.length === 1 ? unit[0]!.address : `${unit.length} actions: ${unit[0]!.address} …`;
        lines.push(`${r.method} ${r.url}${r.body !== undefined ? ` ${JSON.stringify(r.body)}` : ''}  # ${unit[0]!.type} ${what}`);
      }
    }
  }
  return lines;
}
