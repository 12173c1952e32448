import { formatPatch, structuredPatch } from 'diff';
import { type Masker, maskName, NO_MASK } from './mask.js';

/** The comment part of a YAML line (from a `#` outside quotes that starts the line or follows a blank), if any. */
function splitComment(line: string): [code: string, comment: string] {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t'))
      return [line.slice(0, i), line.slice(i)];
  }
  return [line, ''];
}

const KEY = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#{[\]'"-][^:#]*?)\s*:(?:\s|$)/;

/**
 * A config file's lines with personal data masked, for `export --diff --mask`. A line lies inside a
 * `contacts` collection when a `contacts` key encloses it (by indentation) or starts it; there, names
 * (comments that export writes after each id, `{name: …}` entries) are people's and are masked.
 * Everywhere, phone numbers and ids holding one are masked; group subjects and instance names stay.
 */
export function maskConfigLines(text: string, m: Masker): string[] {
  const lines = text.split('\n');
  if (!m.enabled) return lines;
  const stack: { indent: number; key: string }[] = [];
  return lines.map((line) => {
    const indent = line.length - line.trimStart().length;
    const key = KEY.exec(line);
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) {
      while (
        stack.length > 0 &&
        (key ? stack[stack.length - 1]!.indent >= indent : stack[stack.length - 1]!.indent > indent)
      )
        stack.pop();
      if (key) stack.push({ indent, key: key[2]!.replace(/^["']|["']$/g, '') });
    }
    const personal = stack.some((s) => s.key === 'contacts');
    const [code, comment] = splitComment(line);
    const kind = personal ? 'contacts' : 'groups';
    const maskedComment = comment === '' ? '' : personal ? `#${maskName(comment.slice(1))}` : m.text(comment, kind);
    return m.text(code, kind) + maskedComment;
  });
}

/**
 * `export --diff`: a unified diff of the config file and what exists. Computed on the real text,
 * then each shown line is replaced by its masked counterpart, so masking never hides a change.
 */
export function renderConfigDiff(file: string, before: string, after: string, mask: Masker = NO_MASK): string {
  const patch = structuredPatch(file, file, before, after, 'config', 'what exists (chatstate export)');
  if (!mask.enabled) return formatPatch(patch);
  const oldLines = maskConfigLines(before, mask);
  const newLines = maskConfigLines(after, mask);
  for (const h of patch.hunks) {
    // A range of no lines starts at the line before it.
    let o = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    let n = h.newLines === 0 ? h.newStart : h.newStart - 1;
    h.lines = h.lines.map((l) => {
      if (l[0] === ' ') {
        o++;
        return ` ${newLines[n++]!}`;
      }
      if (l[0] === '-') return `-${oldLines[o++]!}`;
      if (l[0] === '+') return `+${newLines[n++]!}`;
      return l;
    });
  }
  return formatPatch(patch);
}
