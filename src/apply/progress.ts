import type { Writable } from 'node:stream';
import type { Action, ActionOutcome } from '../model/action.js';
import { plainText } from '../render/safe-text.js';

export interface ProgressReporter {
  started(total: number): void;
  finished(action: Action, outcome: ActionOutcome): void;
  done(): void;
}

/** A live line on a terminal (done/total, rate, ETA, failures); one line per action otherwise (CI logs). */
export function progressReporter(stream: Writable & { isTTY?: boolean }, now: () => number, quiet = false): ProgressReporter {
  let total = 0;
  let done = 0;
  let failed = 0;
  let start = 0;
  let lastDraw = 0;
  const live = Boolean(stream.isTTY);
  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < 100) return;
    lastDraw = t;
    const rate = done / Math.max(0.001, (t - start) / 1000);
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
    stream.write(`\r\u001b[2Kapplying: ${done}/${total}  ${rate.toFixed(1)}/s  ETA ${eta}s  ${failed} failed`);
  };
  return {
    started(n) {
      total = n;
      start = now();
      if (live && !quiet) draw(true);
    },
    finished(action, outcome) {
      done++;
      if (outcome.outcome === 'failed' || outcome.outcome === 'skipped') failed++;
      if (quiet) return;
      if (live) draw(false);
      else {
        const extra = [outcome.status !== undefined ? `HTTP ${outcome.status}` : '', outcome.attempts > 1 ? `${outcome.attempts} attempts` : '', outcome.detail ? plainText(outcome.detail, 300) : ''].filter(Boolean).join('; ');
        stream.write(`[${done}/${total}] ${outcome.outcome}: ${action.type} ${action.address}${extra ? ` (${extra})` : ''}\n`);
      }
    },
    done() {
      if (live && !quiet) {
        draw(true);
        stream.write('\n');
      }
    },
  };
}
