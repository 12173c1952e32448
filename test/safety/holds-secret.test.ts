import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsSecret, redact, registerSecret } from '../../src/shared/redact.js';

// Every form registerSecret records for a value (as written and URL-encoded).
const forms = (v: string): string[] =>
  v.length < 4 ? [] : [v, encodeURIComponent(v), encodeURI(v), encodeURIComponent(v).replace(/%20/g, '+')];

describe('holdsSecret: one walk of the text finds what a search for each secret finds', () => {
  it('agrees with a plain search over every registered form, with overlapping and nested secrets', () => {
    // A small alphabet makes secrets share prefixes, overlap in the text and contain each other.
    const text = (max: number) =>
      fc.array(fc.constantFrom('a', 'b', 'c', ' ', '/', '+', '%', '2', '0'), { maxLength: max }).map((x) => x.join(''));
    const registered: string[] = [];
    fc.assert(
      fc.property(fc.array(text(7), { maxLength: 3 }), fc.array(text(40), { maxLength: 20 }), (secrets, texts) => {
        for (const s of secrets) {
          registerSecret(s);
          registered.push(...forms(s));
        }
        for (const t of texts) {
          const expected = registered.some((s) => t.includes(s));
          expect(holdsSecret(t)).toBe(expected);
          if (!expected) expect(redact(t)).toBe(t);
          else expect(redact(t)).not.toBe(t);
        }
      }),
      { numRuns: 400, seed: 17 },
    );
    expect(registered.length).toBeGreaterThan(100);
  });

  it('finds a secret at the very start and the very end, and not a short one', () => {
    // Characters no other test's secret uses: files share one registry per worker (isolate: false),
    // and another file's secret `token` inside `zq-token-` once made this fail.
    registerSecret('zqЖ-ŧøķ-9');
    registerSecret('zqx');
    expect(holdsSecret('zqЖ-ŧøķ-9 at the start')).toBe(true);
    expect(holdsSecret('at the end zqЖ-ŧøķ-9')).toBe(true);
    expect(holdsSecret('zqЖ-ŧøķ-')).toBe(false);
    expect(holdsSecret('zqx')).toBe(false);
  });
});
