import { structuredPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { removalRanges } from '../../src/render/removal-diff.js';

/** The ranges with their lines spelled out as the `diff` package writes them: `-id` removed, ` id` context. */
function removalHunks(ids: readonly string[], isRemoved: (i: number) => boolean, context: number) {
  return removalRanges(ids.length, isRemoved, context).map(({ from, to, ...header }) => ({
    ...header,
    lines: ids.slice(from, to).map((id, k) => `${isRemoved(from + k) ? '-' : ' '}${id}`),
  }));
}

/** The `diff` package's Myers diff of the same two texts: the oracle the straight walk must equal. */
function oracle(ids: string[], removed: Set<number>, context: number) {
  const text = (xs: string[]) => xs.map((x) => `${x}\n`).join('');
  const after = ids.filter((_, i) => !removed.has(i));
  return structuredPatch('a', 'b', text(ids), text(after), '', '', { context }).hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines,
  }));
}

describe('removal diff (a straight walk over sorted ids)', () => {
  it('makes exactly the hunks of the diff package for every removal pattern', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), fc.integer({ min: 0, max: 4 }), (pattern, context) => {
        const ids = pattern.map((_, i) => `7900${String(i).padStart(5, '0')}@c.us`);
        const removed = new Set(pattern.flatMap((r, i) => (r ? [i] : [])));
        expect(removalHunks(ids, (i) => removed.has(i), context)).toEqual(oracle(ids, removed, context));
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it('covers the edges: nothing removed, everything removed, first and last removed', () => {
    const ids = Array.from({ length: 9 }, (_, i) => `id${i}`);
    for (const removed of [
      new Set<number>(),
      new Set(ids.map((_, i) => i)),
      new Set([0]),
      new Set([8]),
      new Set([0, 8]),
      new Set([4]),
    ]) {
      expect(removalHunks(ids, (i) => removed.has(i), 2)).toEqual(oracle(ids, removed, 2));
    }
    expect(removalHunks([], () => false, 2)).toEqual([]);
  });

  it('walks a 200,000-id collection with half removed (Myers would cost removals × size)', () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => `7${String(i).padStart(10, '0')}@c.us`);
    const hunks = removalHunks(ids, (i) => i % 2 === 1, 2);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]?.lines.filter((l) => l.startsWith('-'))).toHaveLength(100_000);
    expect(hunks[0]).toMatchObject({ oldStart: 1, oldLines: 200_000, newStart: 1, newLines: 100_000 });
  });
});
