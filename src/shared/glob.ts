/** `*` and `?` globs (keep/remove/protect entries, --target patterns) as anchored regular expressions. */

/** A glob as an anchored regular expression (flag `s`: `*` and `?` also match a line break). */
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

/** How a simple glob compares: the whole text, a prefix, a suffix or a part of it (`GlobShape.kind`). */
const [EQUALS, PREFIX, SUFFIX, CONTAINS] = [0, 1, 2, 3] as const;

/** A glob that is a string comparison: a literal with no wildcard, or one `*` at the start, the end or both ends. */
export interface GlobShape {
  readonly kind: typeof EQUALS | typeof PREFIX | typeof SUFFIX | typeof CONTAINS;
  readonly literal: string;
}

/**
 * The shape of a glob that is a string comparison (`Team *`, `*@c.us`, `*bot*`, `Alice`); undefined
 * for any other glob (`?`, a `*` inside), which tests with its regular expression.
 */
export function globShape(glob: string): GlobShape | undefined {
  if (glob.includes('?')) return undefined;
  const stars = glob.split('*').length - 1;
  if (stars === 0) return { kind: EQUALS, literal: glob };
  if (stars === 1 && glob.endsWith('*')) return { kind: PREFIX, literal: glob.slice(0, -1) };
  if (stars === 1 && glob.startsWith('*')) return { kind: SUFFIX, literal: glob.slice(1) };
  if (stars === 2 && glob.length >= 2 && glob.startsWith('*') && glob.endsWith('*'))
    return { kind: CONTAINS, literal: glob.slice(1, -1) };
  return undefined;
}

/**
 * Whether `text` matches a glob of this shape. Small enough to be inlined where it is called: the
 * planner tests every unkept observed name against the keep list's name globs.
 */
export const shapeTest = (kind: GlobShape['kind'], literal: string, text: string): boolean =>
  kind === PREFIX
    ? text.startsWith(literal)
    : kind === EQUALS
      ? text === literal
      : kind === SUFFIX
        ? text.endsWith(literal)
        : text.includes(literal);

/**
 * A test equivalent to `globToRegExp(glob).test`, as a string comparison where the glob is one
 * (`globShape`). A regular expression costs a call into the regex engine per text; the planner
 * matches every observed name against its name globs. Other globs test with the regular expression.
 * Both read UTF-16 code units (the regex has no `u` flag), so they agree on every text.
 */
export function globTest(glob: string): (text: string) => boolean {
  const shape = globShape(glob);
  if (shape !== undefined) {
    const { kind, literal } = shape;
    return (text) => shapeTest(kind, literal, text);
  }
  const regex = globToRegExp(glob);
  return (text) => regex.test(text);
}
