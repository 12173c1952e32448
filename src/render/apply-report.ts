import type { ApplyCounts, ApplyReport } from '../model/apply-report.js';

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

/** The text view of an apply: one summary line. */
export function renderApplyText(report: ApplyReport): string {
  return `${applySummary(report.counts, stopped(report))}\n`;
}

/** Interrupted, or halted by a journal that could not be written: either way, apply did not finish. */
const stopped = (report: ApplyReport): boolean => report.interrupted || report.halted !== undefined;

/** The JSON view of an apply: the summary, the counts and every action's outcome, for machines. */
export function renderApplyJson(report: ApplyReport): string {
  const { results, counts } = report;
  const interrupted = stopped(report);
  return `${JSON.stringify({ summary: applySummary(counts, interrupted), counts, interrupted, outcomes: results }, null, 2)}\n`;
}

/** The dry run: every request apply would send, in order, none sent. */
export function renderDryRun(lines: readonly string[], format: 'text' | 'json'): string {
  if (format === 'json') return `${JSON.stringify({ dryRun: true, requests: lines }, null, 2)}\n`;
  const head = `Dry run: ${lines.length} request${lines.length === 1 ? '' : 's'} would be sent, in this order; nothing was sent.`;
  return `${[head, ...lines].join('\n')}\n`;
}
