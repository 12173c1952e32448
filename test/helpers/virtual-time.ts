import type { PacingTimers } from '../../src/cli/io.js';

/**
 * Pacing time for in-process CLI runs: rate-limit waits and retry back-offs advance a virtual clock
 * instead of sleeping, so a test applying ten deletions on a 1/s method does not wait ten seconds.
 * Sleepers wake in the order of their wake times, one group per turn of the event loop, and the clock
 * never goes back. What pacing does against a real clock is tested where it matters
 * (test/apply/pipeline.test.ts, test/providers/http.test.ts).
 */
export function virtualTimers(): PacingTimers {
  let now = 0;
  const sleepers: { wake: number; done: () => void }[] = [];
  let scheduled = false;
  const wakeEarliest = (): void => {
    scheduled = false;
    if (sleepers.length === 0) return;
    sleepers.sort((a, b) => a.wake - b.wake);
    const wake = sleepers[0]!.wake;
    now = Math.max(now, wake);
    while (sleepers.length > 0 && sleepers[0]!.wake <= now) sleepers.shift()!.done();
    schedule();
  };
  const schedule = (): void => {
    if (scheduled || sleepers.length === 0) return;
    scheduled = true;
    setImmediate(wakeEarliest);
  };
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((done) => {
        sleepers.push({ wake: now + Math.max(0, ms), done });
        schedule();
      }),
  };
}
