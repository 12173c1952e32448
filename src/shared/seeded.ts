/**
 * Deterministic pseudo-randomness from a seed and a key, so that fault injection depends on *which*
 * request it is (method, path, how many times that path was hit) and not on the order concurrent
 * requests happen to arrive in. The same seed gives the same faults run after run.
 */
export function seededUnit(seed: number, key: string): number {
  // FNV-1a over the key, mixed with the seed, then a murmur3 finaliser for good avalanche.
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
