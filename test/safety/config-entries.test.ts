import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/shared/source-error.js';
import { collection, plan, summary } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const green = (contacts: string) =>
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${contacts}\n`;
const problems = (yaml: string): string[] => {
  try {
    desiredFrom(yaml, { T: 't', K: 'k' });
  } catch (err) {
    if (err instanceof SourceError) return err.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
    throw err;
  }
  return [];
};

describe('config entries that would not mean what they say (issue 12)', () => {
  it('an unquoted keep number beyond 2^53 is refused with a hint to quote it', () => {
    expect(problems(green('{ prune: true, keep: [12345678901234567, 79876543210] }'))).toEqual([
      '8:41: `12345678901234567` is not exact as a YAML number (beyond 2^53 it would read as 12345678901234568); quote it: "12345678901234567"',
    ]);
    expect(problems(green('{ prune: true, keep: ["12345678901234567"] }'))).toEqual([]);
  });

  it.each([
    ['"+7987*"', '7987*@c.us'],
    ['"+7987654321?"', '7987654321?@c.us'],
    ['"7987654321?"', '7987654321?@c.us'],
  ])('the phone-looking glob %s is normalised like an exact number, to %s', (glob, pattern) => {
    const d = desiredFrom(green(`{ remove: [${glob}], safety: { maxDeletePercent: 100 } }`), { T: 't' });
    const account = d.accounts[0]!;
    expect(account.provider === 'green-api' && account.instances[0]!.contacts!.remove[0]!.pattern).toBe(pattern);
    const p = plan(d, [
      collection(C, [['79876543210@c.us'], ['79876543219@c.us'], ['123456789012345@lid'], ['15551234567@c.us']]),
    ]);
    expect(summary(p)).toEqual([
      `delete-contact ${C.replace('/contacts', '')}/contact.79876543210@c.us`,
      `delete-contact ${C.replace('/contacts', '')}/contact.79876543219@c.us`,
    ]);
  });

  it('a 2Chat number glob without + is normalised; one that can never match is refused', () => {
    const d = desiredFrom('version: 1\n2chat:\n  s:\n    apiKey: ${K}\n    numbers: { remove: ["521553333*"] }\n', {
      K: 'k',
    });
    const account = d.accounts[0]!;
    expect(account.provider === '2chat' && account.numbers!.remove[0]!.pattern).toBe('+521553333*');
    expect(problems(green('{ remove: ["+7987*@c.us"] }'))).toEqual([
      '8:30: `+7987*@c.us` can never match a chat id (digits@c.us or digits@lid); write a phone glob such as "+7987*" or 7987*@c.us',
    ]);
  });
});
