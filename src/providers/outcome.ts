import type { HttpResponse } from '../http/client.js';
import { ProviderCallError } from '../http/errors.js';
import type { Action, ActionOutcome, OutcomeKind } from '../model/action.js';
import { redact } from '../shared/redact.js';

export function outcomeOf(action: Action, kind: OutcomeKind, res: HttpResponse, detail?: string): ActionOutcome {
  return {
    address: action.address,
    outcome: kind,
    status: res.status,
    attempts: res.attempts,
    ...(detail !== undefined ? { detail } : {}),
  };
}

/** A failed outcome from any error; the detail is redacted like everything else shown. */
export function failedOutcome(action: Action, err: unknown): ActionOutcome {
  const error = err instanceof Error ? err : new Error(String(err));
  return {
    address: action.address,
    outcome: 'failed',
    attempts: error instanceof ProviderCallError ? error.attempts : 1,
    ...(error instanceof ProviderCallError && error.status !== undefined ? { status: error.status } : {}),
    detail: redact(error.message),
  };
}

/** Runs `fn` and turns anything it throws into a failed outcome: execute never throws. */
export async function guarded(action: Action, fn: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
  try {
    return await fn();
  } catch (err) {
    return failedOutcome(action, err);
  }
}
