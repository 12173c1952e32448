/** `*` and `?` globs (keep/remove/protect entries, --target patterns) as anchored regular expressions. */

/** The source of a glob's regular expression (flag `s`: `*` and `?` also match a line break). */
export function globSource(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return `^${out}$`;
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(globSource(glob), 's');
}

export const isGlob = (s: string): boolean => /[*?]/.test(s);

/**
 * A test equivalent to `globToRegExp(glob).test`, as a string comparison where the glob is one:
 * no wildcard (equality), or one `*` at the start, the end or both ends around a literal (`Team *`,
 * `*@c.us`, `*bot*`). A regular expression costs a call into the regex engine per text; the planner
 * matches every observed name against its name globs. Other globs test with the regular expression.
 * Both read UTF-16 code units (the regex has no `u` flag), so they agree on every text.
 */
export function globTest(glob: string): (text: string) => boolean {
  if (!glob.includes('?')) {
    const stars = glob.split('*').length - 1;
    if (stars === 0) return (text) => text === glob;
    const inner = glob.slice(1, -1);
    if (stars === 1 && glob.endsWith('*')) {
      const prefix = glob.slice(0, -1);
      return (text) => text.startsWith(prefix);
    }
    if (stars === 1 && glob.startsWith('*')) {
      const suffix = glob.slice(1);
      return (text) => text.endsWith(suffix);
    }
    if (stars === 2 && glob.length >= 2 && glob.startsWith('*') && glob.endsWith('*'))
      return (text) => text.includes(inner);
  }
  const regex = globToRegExp(glob);
  return (text) => regex.test(text);
}
