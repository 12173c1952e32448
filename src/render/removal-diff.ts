/** The numbers of a unified diff hunk's `@@ -a,b +c,d @@` header. */
export interface HunkHeader {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
}

/**
 * One hunk of a removals-only diff as a range of positions in the old text: every position in
 * [from, to) is one line of the hunk (`-` when removed, ` ` context otherwise), in order.
 */
export interface HunkRange extends HunkHeader {
  readonly from: number;
  readonly to: number;
}

/**
 * The hunks of the unified diff of `count` lines (sorted ids, in file order) → the same lines
 * without the removed ones, as one straight walk. After is a subsequence of before, so the longest
 * common subsequence is known and no diff algorithm is needed: this yields exactly the hunks the
 * `diff` package's `structuredPatch` makes for those two texts (same context, same merging of
 * nearby hunks), in time linear in the number of lines instead of removals × size, and without
 * making a string per line (a hunk's lines are a contiguous range of positions).
 */
export function removalRanges(count: number, isRemoved: (index: number) => boolean, context: number): HunkRange[] {
  // Runs of equal kind: run k covers [starts[k], starts[k + 1]) and is removed when removed[k].
  const starts: number[] = [];
  const removed: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const r = isRemoved(i);
    if (removed.length === 0 || removed[removed.length - 1] !== r) {
      starts.push(i);
      removed.push(r);
    }
  }
  // A trailing empty common run closes the last hunk (as the `diff` package's sentinel does).
  starts.push(count);
  removed.push(false);
  starts.push(count);
  const runs = removed.length;
  const hunks: HunkRange[] = [];
  let oldRangeStart = 0;
  let newRangeStart = 0;
  let from = 0;
  let oldLine = 1;
  let newLine = 1;
  for (let r = 0; r < runs; r++) {
    const start = starts[r]!;
    const end = starts[r + 1]!;
    const length = end - start;
    if (removed[r]) {
      if (!oldRangeStart) {
        // Opens a hunk with up to `context` lines of the common run before it.
        from = r > 0 ? Math.max(starts[r - 1]!, start - context) : start;
        oldRangeStart = oldLine - (start - from);
        newRangeStart = newLine - (start - from);
      }
      oldLine += length;
      continue;
    }
    if (oldRangeStart) {
      // A short common run between removals stays inside the hunk; otherwise it closes it.
      if (!(length <= context * 2 && r < runs - 2)) {
        const size = Math.min(length, context);
        hunks.push({
          oldStart: oldRangeStart,
          oldLines: oldLine - oldRangeStart + size,
          newStart: newRangeStart,
          newLines: newLine - newRangeStart + size,
          from,
          to: start + size,
        });
        oldRangeStart = 0;
        newRangeStart = 0;
      }
    }
    oldLine += length;
    newLine += length;
  }
  return hunks;
}
