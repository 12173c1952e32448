import { type RateLimit, TokenBucket } from '../shared/token-bucket.js';

/**
 * Client-side rate limiting: one token bucket per key (provider, account or instance, method).
 * Callers reserve their turn and wait for it, so concurrent callers of one key are spaced out in
 * the order they asked, and different keys never wait for each other.
 */
/**
 * Requests leave at 97% of the configured rate: a provider measures arrival times, and network
 * jitter would otherwise make every few requests arrive "early" and earn a 429 (a second lost).
 */
const HEADROOM = 0.97;

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly now: () => number) {}

  /** How long the caller must wait before sending on `key` (0: now). Reserves the slot. */
  reserve(key: string, limit: RateLimit | 'off'): number {
    if (limit === 'off') return 0;
    let bucket = this.buckets.get(key);
    const rate = limit.perSecond * HEADROOM;
    if (!bucket || bucket.ratePerSecond !== rate || bucket.burst !== limit.burst) {
      bucket = new TokenBucket(rate, limit.burst, this.now());
      this.buckets.set(key, bucket);
    }
    return bucket.reserve(this.now());
  }
}
