import type { RateLimit } from '../shared/token-bucket.js';

/** The most requests one lane keeps in flight, whatever the rate and round trip. */
export const MAX_WINDOW = 16;
/** Round trips above this count as this (a stalled answer must not open the window wide). */
const MAX_RTT_MS = 2_000;

/**
 * How many requests of one lane may be in flight: rate × round trip + 1 (enough to keep the rate
 * busy across one round trip, one more to cover jitter), between 1 and MAX_WINDOW. Wider windows
 * only queue in the client's token bucket and, when a provider counts arrivals, drain its bucket
 * into `Retry-After` penalties. Before any round trip is measured the window is 1.
 */
export function windowFor(limit: RateLimit | 'off' | undefined, rttMs: number | undefined): number {
  if (rttMs === undefined) return 1;
  if (limit === undefined || limit === 'off') return MAX_WINDOW;
  const w = Math.ceil((limit.perSecond * Math.min(rttMs, MAX_RTT_MS)) / 1000) + 1;
  return Math.max(1, Math.min(MAX_WINDOW, w, Math.floor(limit.burst) + 1));
}

/**
 * A lane's round trip: the shortest request seen so far. A request's time includes its wait in the
 * client's token bucket, which grows with the window; the shortest one is the one that did not
 * wait (the first ones, while the bucket still holds its burst), so the estimate does not feed on
 * the window it sets.
 */
export class RoundTrip {
  private best: number | undefined;

  add(ms: number): void {
    if (ms >= 0 && (this.best === undefined || ms < this.best)) this.best = ms;
  }

  get ms(): number | undefined {
    return this.best;
  }
}
