import type { ActionType, OutcomeKind } from './action.js';

/** What happened to one planned action; `not-started` when apply was interrupted before it. */
export interface ActionResult {
  readonly address: string;
  readonly type: ActionType;
  readonly outcome: OutcomeKind | 'not-started';
  readonly attempts: number;
  readonly status?: number;
  /** Why partial, failed or skipped (redacted). */
  readonly detail?: string;
}

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

/** The result of applying a plan: one result per planned action, in plan order. */
export interface ApplyReport {
  readonly results: readonly ActionResult[];
  readonly counts: ApplyCounts;
  readonly interrupted: boolean;
  /** A hook (the journal) failed: nothing more was sent after it. */
  readonly halted?: Error;
}
