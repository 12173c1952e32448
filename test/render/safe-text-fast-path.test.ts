import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeLine, idText, inlineText, markdownText, plainText } from '../../src/render/safe-text.js';

// The escaping functions skip their replace chains when one test says nothing would change. These
// are the chains written out in full, without any shortcut: the fast paths must never differ.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const refPlain = (s: string, max = 120): string =>
  (s.length > max ? `${s.slice(0, max - 1)}…` : s).replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
const refCode = (s: string, max = 200): string => refPlain(s, max).replace(/`/g, "'");
const refId = (id: string): string => {
  const shown = refPlain(id, 200);
  if (!/[^\x21-\x7e]/.test(id)) return shown;
  const spelled = [...id].map((c) => (/[\x21-\x7e]/.test(c) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`)).join('');
  return `${shown} [non-ASCII: ${spelled}]`;
};
const refInline = (s: string, max = 120): string => {
  const plain = refPlain(s, max);
  if (markdownText(s, max) === plain) return plain;
  return plain.includes('`') ? markdownText(s, max) : `\`${plain}\``;
};

/** Every character class the escapes care about, and the sequences GitHub turns into links. */
const HOSTILE = [
  'a',
  'Z',
  '7',
  ' ',
  '.',
  ':',
  '/',
  '@',
  '`',
  '*',
  '_',
  '<',
  '>',
  '&',
  '\\',
  '|',
  '#',
  '~',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  'www.',
  'WwW.',
  '://',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u00a0',
  '\u200b',
  '\u200e',
  '\u2028',
  '\u202e',
  '\u2060',
  '\u2066',
  '\ufeff',
  'с',
  'é',
  '😀',
  '\ud800',
];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 90 }).map((xs) => xs.join('')),
  fc.string({ unit: 'binary', maxLength: 250 }),
);

describe('safe text: the fast paths give exactly what the full escapes give', () => {
  it('for hostile and arbitrary strings, at the default and at small bounds', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 300 }), (s, max) => {
        expect(plainText(s)).toBe(refPlain(s));
        expect(plainText(s, max)).toBe(refPlain(s, max));
        expect(codeLine(s)).toBe(refCode(s));
        expect(codeLine(s, max)).toBe(refCode(s, max));
        expect(idText(s)).toBe(refId(s));
        expect(inlineText(s)).toBe(refInline(s));
        expect(inlineText(s, max)).toBe(refInline(s, max));
      }),
      { numRuns: 3000, seed: 17 },
    );
  });

  it('at the exact length bounds', () => {
    for (const n of [59, 60, 61, 119, 120, 121, 199, 200, 201]) {
      const s = 'x'.repeat(n);
      expect(plainText(s, 60)).toBe(refPlain(s, 60));
      expect(plainText(s)).toBe(refPlain(s));
      expect(idText(s)).toBe(refId(s));
      expect(codeLine(s)).toBe(refCode(s));
      expect(inlineText(s, 60)).toBe(refInline(s, 60));
    }
  });

  it('still escapes what a fast path must not let through', () => {
    expect(plainText('a\u202eb')).toBe('a\\u{202e}b');
    expect(codeLine('a`b')).toBe("a'b");
    expect(idText('с-1')).toBe('с-1 [non-ASCII: \\u{441}-1]');
    expect(inlineText('see WWW.evil.example')).toBe('`see WWW.evil.example`');
    expect(inlineText('<img src=x onerror=alert(1)>')).toBe('`<img src=x onerror=alert(1)>`');
    expect(inlineText('a`b <i>')).toBe('a\\`b &lt;i&gt;');
  });
});
