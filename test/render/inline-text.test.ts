import { describe, expect, it } from 'vitest';
import { inlineText, markdownText, plainText } from '../../src/render/safe-text.js';

describe('inlineText: plain when safe, a code span when that reads better than backslashes', () => {
  const samples = [
    'Jane Doe',
    'not kept (prune: true)',
    '{name: Test *}',
    'a`b*c',
    'x@y.z',
    'http://evil',
    'www.evil.example',
    '<img src=x>',
    'pipe | here',
    'under_score',
    'tilde~',
    '#hash',
    'back\\slash',
    'plain words, dots. and: colons',
    'émoji ⚠️ ok',
    '\u001b[31mred',
  ];
  it.each(samples)('%j', (s) => {
    const out = inlineText(s);
    if (markdownText(s) === plainText(s)) expect(out).toBe(plainText(s));
    else if (s.includes('`')) expect(out).toBe(markdownText(s));
    else expect(out).toBe(`\`${plainText(s)}\``);
  });
});
