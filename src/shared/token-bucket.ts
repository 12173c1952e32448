/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`. Time comes from the
 * caller (milliseconds, monotonic), so tests and the emulator can drive it without real waiting.
 * Used on both sides of the wire: the emulator enforces limits with it, the client obeys them.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
      this.last = now;
    }
  }

  /** Takes a token if one is there; otherwise returns how many ms until one will be. */
  take(now: number): { ok: true } | { ok: false; waitMs: number } {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond) };
  }

  /**
   * Reserves the next token even if it is not there yet, and returns how long to wait before using
   * it. Callers that queue (the client) use this so that waiters are served in order.
   */
  reserve(now: number): number {
    this.refill(now);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }
}

/** A rate limit: a steady rate and how many requests may come at once. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** `n` per second, at most `n` at once (at least one). */
export const perSecond = (n: number): RateLimit => ({ perSecond: n, burst: Math.max(1, n) });

/** `n` per minute: a whole minute's worth may come at once, as per-minute quotas allow. */
export const perMinute = (n: number): RateLimit => ({ perSecond: n / 60, burst: Math.max(1, n) });

/** Parses `N/s`, `N/m` or `N/min` (also `off`: no limit). Returns undefined if malformed. */
export function parseRate(text: string): RateLimit | 'off' | undefined {
  if (/^\s*(off|none)\s*$/i.test(text)) return 'off';
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|sec|second|m|min|minute)\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!(n > 0)) return undefined;
  return m[2]!.toLowerCase().startsWith('s') ? perSecond(n) : perMinute(n);
}
