/** One hunk of a unified diff: `-id` for a removed line, ` id` for context. */
export interface RemovalHunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** Raw ids prefixed by `-` (removed) or ` ` (context). */
  readonly lines: string[];
}

/**
 * The unified diff of `ids` (sorted, in file order) → the same ids without the removed ones, as
 * one straight walk. After is a subsequence of before, so the longest common subsequence is known
 * and no diff algorithm is needed: this yields exactly the hunks the `diff` package's
 * `structuredPatch` makes for those two texts (same context, same merging of nearby hunks), in
 * time linear in the number of ids instead of removals × size.
 */
export function removalHunks(
  ids: readonly string[],
  isRemoved: (index: number) => boolean,
  context: number,
): RemovalHunk[] {
  // Runs of equal kind: [start, end) over ids.
  const runs: { removed: boolean; start: number; end: number }[] = [];
  for (let i = 0; i < ids.length; i++) {
    const removed = isRemoved(i);
    const last = runs[runs.length - 1];
    if (last && last.removed === removed) last.end = i + 1;
    else runs.push({ removed, start: i, end: i + 1 });
  }
  // A trailing empty common run closes the last hunk (as the `diff` package's sentinel does).
  runs.push({ removed: false, start: ids.length, end: ids.length });
  const hunks: RemovalHunk[] = [];
  let oldRangeStart = 0;
  let newRangeStart = 0;
  let cur: string[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const [r, run] of runs.entries()) {
    const length = run.end - run.start;
    if (run.removed) {
      if (!oldRangeStart) {
        oldRangeStart = oldLine;
        newRangeStart = newLine;
        cur = [];
        const prev = runs[r - 1];
        if (prev) {
          for (let i = Math.max(prev.start, prev.end - context); i < prev.end; i++) cur.push(` ${ids[i]}`);
          oldRangeStart -= cur.length;
          newRangeStart -= cur.length;
        }
      }
      for (let i = run.start; i < run.end; i++) cur.push(`-${ids[i]}`);
      oldLine += length;
      continue;
    }
    if (oldRangeStart) {
      if (length <= context * 2 && r < runs.length - 2) {
        for (let i = run.start; i < run.end; i++) cur.push(` ${ids[i]}`);
      } else {
        const size = Math.min(length, context);
        for (let i = run.start; i < run.start + size; i++) cur.push(` ${ids[i]}`);
        hunks.push({
          oldStart: oldRangeStart,
          oldLines: oldLine - oldRangeStart + size,
          newStart: newRangeStart,
          newLines: newLine - newRangeStart + size,
          lines: cur,
        });
        oldRangeStart = 0;
        newRangeStart = 0;
        cur = [];
      }
    }
    oldLine += length;
    newLine += length;
  }
  return hunks;
}
