import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from '../shared/redact.js';
import type { Action, ActionOutcome } from '../model/action.js';

/** One journal line. No secret: the error text is redacted, URLs inside it too. */
export interface JournalEntry {
  readonly time: string;
  readonly run: string;
  readonly address: string;
  readonly type: Action['type'];
  readonly outcome: ActionOutcome['outcome'];
  readonly attempts: number;
  readonly status?: number;
  readonly error?: string;
}

/**
 * The apply journal: every outcome appended as one JSON line as soon as it is known, synchronously,
 * so a killed process loses at most the line it was writing.
 */
export class Journal {
  constructor(
    readonly path: string,
    private readonly run: string,
    private readonly now: () => Date,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  record(action: Action, outcome: ActionOutcome): void {
    const entry: JournalEntry = {
      time: this.now().toISOString(),
      run: this.run,
      address: action.address,
      type: action.type,
      outcome: outcome.outcome,
      attempts: outcome.attempts,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.detail !== undefined ? { error: redact(outcome.detail) } : {}),
    };
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }
}
