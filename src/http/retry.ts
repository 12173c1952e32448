/** Retry policy: which failures are transient, and how long to wait before the next try. */

/** Statuses worth another try. 400/401/403/404 never are: the same request would fail the same way. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Exponential backoff with full jitter (a uniform wait in [0, min(cap, base·2^n)]), which spreads
 * retries of many concurrent callers instead of having them collide again. `attempt` counts from 1.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const date = Date.parse(t);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The wait after a 429 that carries no `Retry-After` (GREEN-API documents none): at least the
 * method's own interval at its published rate, doubling with each attempt (capped), plus jitter.
 * A full-jitter wait alone could be ~0 ms and earn another 429 at once.
 */
export function pacedDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number,
  perSecond: number | undefined,
): number {
  const interval = perSecond && perSecond > 0 ? 1000 / perSecond : policy.baseDelayMs;
  const floor = Math.min(policy.maxDelayMs, Math.ceil(interval * 2 ** (attempt - 1)));
  return floor + backoffDelay(policy, attempt, random);
}
