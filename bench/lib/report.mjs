// Shared helpers of the benchmarks: medians, and one machine-readable line per figure that
// bench/run.mjs gathers into the summary table (the README's benchmark table is copied from it).
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `figure`: what is measured; `value`/`floor` with `unit`; `ratio` = value / floor; `goal` as text. */
export function figure(f) {
  process.stdout.write(`BENCH-FIGURE ${JSON.stringify(f)}\n`);
}
