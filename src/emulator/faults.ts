import { seededUnit } from '../shared/seeded.js';

/** Injected faults, all decided from the seed so that a run can be repeated. */
export interface FaultOptions {
  /** Share of requests answered 500 or 502 before they are processed (0..1). */
  readonly errorRate: number;
  /** Share of requests processed and then cut off mid-response (0..1): the client never sees the answer. */
  readonly dropRate: number;
  /** Share of requests answered 429 with Retry-After before they are processed (a "429 storm"). */
  readonly throttleRate: number;
  /** Extra latency on a share of requests (latency spikes). */
  readonly spikeRate: number;
  readonly spikeMs: number;
  readonly seed: number;
}

export type Fault = { kind: 'error'; status: 500 | 502 } | { kind: 'throttle' } | { kind: 'drop' } | { kind: 'none' };

export const NO_FAULTS: FaultOptions = {
  errorRate: 0,
  dropRate: 0,
  throttleRate: 0,
  spikeRate: 0,
  spikeMs: 0,
  seed: 1,
};

/**
 * Decides the fault for the n-th request to a given method+path. Keyed by request identity, not
 * arrival order, so concurrent clients see the same faults under the same seed.
 */
export class FaultPlan {
  private readonly hits = new Map<string, number>();
  constructor(private readonly options: FaultOptions) {}

  reset(): void {
    this.hits.clear();
  }

  next(requestKey: string): { fault: Fault; extraLatencyMs: number } {
    const n = (this.hits.get(requestKey) ?? 0) + 1;
    this.hits.set(requestKey, n);
    const o = this.options;
    const key = `${requestKey}#${n}`;
    const extraLatencyMs = o.spikeRate > 0 && seededUnit(o.seed, `spike:${key}`) < o.spikeRate ? o.spikeMs : 0;
    const u = seededUnit(o.seed, key);
    if (u < o.errorRate)
      return {
        fault: { kind: 'error', status: seededUnit(o.seed, `status:${key}`) < 0.5 ? 500 : 502 },
        extraLatencyMs,
      };
    if (u < o.errorRate + o.throttleRate) return { fault: { kind: 'throttle' }, extraLatencyMs };
    if (u < o.errorRate + o.throttleRate + o.dropRate) return { fault: { kind: 'drop' }, extraLatencyMs };
    return { fault: { kind: 'none' }, extraLatencyMs };
  }
}
