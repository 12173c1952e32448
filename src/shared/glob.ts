/** `*` and `?` globs (keep/remove/protect entries, --target patterns) as anchored regular expressions. */

export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

export const isGlob = (s: string): boolean => /[*?]/.test(s);
