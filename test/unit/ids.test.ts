import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globTest, globToRegExp } from '../../src/shared/glob.js';
import { CHAT_ID, isChatId } from '../../src/shared/ids.js';

/**
 * The planner tests every observed contact id and name with string walks instead of the regular
 * expressions that define them: they must agree on every text.
 */

/** Texts built from the characters that matter, with lengths around the syntax's limits. */
const near = (alphabet: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((cs) => cs.join(''));

describe('isChatId', () => {
  it('agrees with CHAT_ID on texts near the syntax', () => {
    const digits = near(['0', '7', '9', '٣', '７'], 24);
    const suffix = fc.constantFrom('@c.us', '@lid', '@C.US', '@c.us\n', '@g.us', '@lid ', '', '@', 'c.us', '@c.usx');
    fc.assert(
      fc.property(digits, suffix, near(['0', '@', 'c', '.', 'u', 's', 'l', 'i', 'd', ' ', '\n'], 6), (d, s, tail) => {
        for (const text of [d + s, d + s + tail, tail + d + s])
          expect(isChatId(text), JSON.stringify(text)).toBe(CHAT_ID.test(text));
      }),
      { numRuns: 3000, seed: 20261127 },
    );
  });

  it('takes the ids of the syntax and refuses their near misses', () => {
    expect(isChatId('79876543210@c.us')).toBe(true);
    expect(isChatId('12345@lid')).toBe(true);
    expect(isChatId('1234@lid')).toBe(false);
    expect(isChatId(`${'1'.repeat(20)}@c.us`)).toBe(true);
    expect(isChatId(`${'1'.repeat(21)}@c.us`)).toBe(false);
    expect(isChatId('79876543210@c.us\n')).toBe(false);
    expect(isChatId('79876543210@C.US')).toBe(false);
  });
});

describe('globTest', () => {
  it('agrees with the glob regular expression on every text', () => {
    // Surrogate halves and a line break: the regex reads UTF-16 code units and `.` takes `\n` (flag s).
    const chars = ['a', 'b', '.', '\n', '😀', '\ud83d', '\\', '^', '$'];
    fc.assert(
      fc.property(near([...chars, '*', '*', '*', '?'], 5), near(chars, 6), (glob, text) => {
        expect(globTest(glob)(text), `${JSON.stringify(glob)} on ${JSON.stringify(text)}`).toBe(
          globToRegExp(glob).test(text),
        );
      }),
      { numRuns: 5000, seed: 20261127 },
    );
  });

  it('compares strings for the common shapes', () => {
    expect(globTest('Team *')('Team Anna')).toBe(true);
    expect(globTest('Team *')('team Anna')).toBe(false);
    expect(globTest('*@c.us')('79876543210@c.us')).toBe(true);
    expect(globTest('*bot*')('my bot 2')).toBe(true);
    expect(globTest('Alice')('Alice ')).toBe(false);
    expect(globTest('*')('')).toBe(true);
    expect(globTest('**')('')).toBe(true);
  });
});
