import { distance } from '../shared/distance.js';
import { globToRegExp } from '../shared/glob.js';

/**
 * `--target PATTERN`: a glob over addresses. A pattern selects an address when it matches the
 * address or one of its ancestors, so `green-api.main/instance.1101000001` selects everything of
 * that instance, and `*contact.7999*` one contact wherever it is.
 */
export function targetMatcher(patterns: readonly string[]): (address: string) => boolean {
  if (patterns.length === 0) return () => true;
  const regexes = patterns.map((p) => globToRegExp(p));
  return (address) => {
    const parts = address.split('/');
    for (let n = parts.length; n >= 1; n--) {
      const prefix = parts.slice(0, n).join('/');
      if (regexes.some((r) => r.test(prefix))) return true;
    }
    return false;
  };
}

/** A `--target` pattern that selects nothing, with the addresses it could have meant. */
export interface UnmatchedTarget {
  readonly pattern: string;
  readonly suggestions: readonly string[];
}

/** The parents of an address, itself included: `a/b/c` → `a`, `a/b`, `a/b/c`. */
function withAncestors(address: string): string[] {
  const parts = address.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The longest run of the pattern without wildcards: what the user most likely typed by hand. */
function literalCore(pattern: string): string {
  return pattern.split(/[*?]/).reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * The patterns of `--target` that select none of `addresses` (accounts, collections, items), each
 * with up to five addresses it could have meant: ones that contain its literal part ignoring case,
 * then the account and collection addresses closest to it.
 */
export function unmatchedTargets(patterns: readonly string[], addresses: Iterable<string>, max = 5): UnmatchedTarget[] {
  const all = [...addresses];
  const out: UnmatchedTarget[] = [];
  for (const pattern of patterns) {
    const selects = targetMatcher([pattern]);
    if (all.some(selects)) continue;
    const core = literalCore(pattern).toLowerCase();
    const near = core.length >= 3 ? all.filter((a) => a.toLowerCase().includes(core)).slice(0, max) : [];
    const parents = [...new Set(all.flatMap((a) => withAncestors(a).slice(0, 3)))].filter((a) => !near.includes(a));
    const ranked = parents
      .map((a) => ({ a, d: distance(pattern.toLowerCase(), a.toLowerCase()) }))
      .sort((x, y) => x.d - y.d || (x.a < y.a ? -1 : 1));
    out.push({ pattern, suggestions: [...near, ...ranked.map((r) => r.a)].slice(0, max) });
  }
  return out;
}

/**
 * `--target` and `--exclude` together: an address is selected when a target selects it (or there
 * are no targets) and no exclude pattern does. Excludes match exactly as targets do.
 */
export function selectionMatcher(
  targets: readonly string[],
  excludes: readonly string[] = [],
): (address: string) => boolean {
  const targeted = targetMatcher(targets);
  if (excludes.length === 0) return targeted;
  const excluded = targetMatcher(excludes);
  return (address) => targeted(address) && !excluded(address);
}
