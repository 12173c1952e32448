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
