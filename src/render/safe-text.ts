/**
 * Provider data is hostile until shown safe: names may carry terminal escapes, bidi overrides,
 * Markdown or HTML. These helpers make any string inert for one medium.
 */

// C0/C1 controls, DEL, bidi embeddings/overrides/isolates, zero-width and line/paragraph separators.
const UNSAFE_CHARS = '\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[${UNSAFE_CHARS}]`, 'g');

// Fast paths: most names and ids need nothing, and one test is far cheaper than a replace chain.
// Each matches whenever its function could change the string (kept in step with the functions).
const PLAIN_CHANGES = new RegExp(`[${UNSAFE_CHARS}]`);
const CODE_CHANGES = new RegExp(`[${UNSAFE_CHARS}\`]`);
/** What `markdownText` would change, controls included. */
const INLINE_CHANGES = new RegExp(`[${UNSAFE_CHARS}&<>\\\\\`*_{}[\\]()#|~@]|:\\/\\/|www\\.`, 'i');

/** For a terminal (and any plain text): controls become visible `\u{…}` escapes; long strings are cut. */
export function plainText(s: string, max = 120): string {
  if (s.length <= max && !PLAIN_CHANGES.test(s)) return s;
  const cut = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return cut.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** For Markdown prose and table cells: no markup, no HTML, no line breaks. */
export function markdownText(s: string, max = 120): string {
  return (
    plainText(s, max)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_{}[\]()#|~])/g, '\\$1')
      // GitHub turns bare URLs, www. hosts and e-mail-like ids (79876543210@c.us) into links.
      .replace(/:\/\//g, '&#58;//')
      .replace(/@/g, '&#64;')
      .replace(/www\./gi, (w) => `${w.slice(0, 3)}&#46;`)
  );
}

/** For a fenced code block: a line that cannot close the fence. */
export function codeLine(s: string, max = 200): string {
  if (s.length <= max && !CODE_CHANGES.test(s)) return s;
  return plainText(s, max).replace(/`/g, "'");
}

/**
 * An id as shown to people: ids are compared exactly, but a Cyrillic `с-1` looks like `c-1`, so any
 * id outside printable ASCII is shown with its code points spelled out.
 */
export function idText(id: string): string {
  // Printable ASCII has nothing to escape or spell out.
  if (id.length <= 200 && !/[^\x21-\x7e]/.test(id)) return id;
  const shown = plainText(id, 200);
  if (!/[^\x21-\x7e]/.test(id)) return shown;
  const spelled = [...id].map((c) => (/[\x21-\x7e]/.test(c) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`)).join('');
  return `${shown} [non-ASCII: ${spelled}]`;
}

/**
 * For Markdown prose that people also read as plain text (notification e-mails): as is when nothing
 * needs escaping, else a code span (inert, and reads cleanly), else backslash escapes.
 */
export function inlineText(s: string, max = 120): string {
  if (s.length <= max && !INLINE_CHANGES.test(s)) return s;
  const plain = plainText(s, max);
  if (!NEEDS_ESCAPE.test(plain)) return plain;
  return plain.includes('`') ? markdownText(s, max) : `\`${plain}\``;
}

/** What `markdownText` would change (kept in step with it). */
const NEEDS_ESCAPE = /[&<>\\`*_{}[\]()#|~@]|:\/\/|www\./i;
