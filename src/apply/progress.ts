import type { Writable } from 'node:stream';
import type { Action, ActionOutcome } from '../model/action.js';
import { plainText } from '../render/safe-text.js';

export interface ProgressReporter {
  started(total: number): void;
  finished(action: Action, outcome: ActionOutcome): void;
  done(): void;
}

/** Without a terminal, a progress line at most this often (ms of the injected clock). */
const LOG_INTERVAL_MS = 10_000;

/** Outcomes that deserve their own line in a log: something did not simply succeed. */
const NOTEWORTHY = new Set<ActionOutcome['outcome']>(['failed', 'skipped', 'partial']);

/**
 * A live line on a terminal; without one (CI logs), `done/total, rate, ETA` every LOG_INTERVAL_MS
 * plus one line per failed, skipped or partial action. The rate counts only actions that sent a
 * request in this run: outcomes known before any request (targets already gone when a stopped
 * apply is resumed) settle at once and would make the ETA a fraction of the real time.
 */
export function progressReporter(
  stream: Writable & { isTTY?: boolean },
  now: () => number,
  quiet = false,
): ProgressReporter {
  let total = 0;
  let done = 0;
  let requested = 0;
  let failed = 0;
  let start = 0;
  let lastDraw = 0;
  const live = Boolean(stream.isTTY);
  const figures = (): string => {
    const elapsed = Math.max(0.001, (now() - start) / 1000);
    const rate = requested / elapsed;
    const eta = done >= total ? '0s' : rate > 0 ? `${Math.ceil((total - done) / rate)}s` : '?';
    return `${done}/${total}  ${rate.toFixed(1)}/s  ETA ${eta}  ${failed} failed`;
  };
  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < 100) return;
    lastDraw = t;
    stream.write(`\r\u001b[2Kapplying: ${figures()}`);
  };
  const logLine = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < LOG_INTERVAL_MS) return;
    lastDraw = t;
    stream.write(`progress: ${figures()}\n`);
  };
  return {
    started(n) {
      total = n;
      start = now();
      lastDraw = start;
      if (live && !quiet) draw(true);
    },
    finished(action, outcome) {
      done++;
      if (outcome.attempts > 0) requested++;
      if (outcome.outcome === 'failed' || outcome.outcome === 'skipped') failed++;
      if (quiet) return;
      if (live) {
        draw(false);
        return;
      }
      if (NOTEWORTHY.has(outcome.outcome)) {
        const extra = [
          outcome.status !== undefined ? `HTTP ${outcome.status}` : '',
          outcome.attempts > 1 ? `${outcome.attempts} attempts` : '',
          outcome.detail ? plainText(outcome.detail, 300) : '',
        ]
          .filter(Boolean)
          .join('; ');
        stream.write(
          `[${done}/${total}] ${outcome.outcome}: ${action.type} ${action.address}${extra ? ` (${extra})` : ''}\n`,
        );
      }
      logLine(false);
    },
    done() {
      if (quiet) return;
      if (live) {
        draw(true);
        stream.write('\n');
      } else if (total > 0) logLine(true);
    },
  };
}
