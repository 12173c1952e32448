import { describe, expect, it } from 'vitest';
import { percentAbove } from '../../src/plan/plan.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const desired = desiredFrom(
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { remove: ["7*"] }\n`,
  { T: 'tok' },
);

describe('the brake states exact figures (issue 12)', () => {
  it('301 of 1,000 is 30.1% > 30%, never "30% > 30%"', () => {
    const items = Array.from({ length: 1000 }, (_, i): [string] => [
      `${i < 301 ? 7 : 8}${String(i).padStart(10, '0')}@c.us`,
    ]);
    const p = plan(desired, [collection(C, items)]);
    expect(p.refusals.map((r) => r.message)).toEqual([
      'refusing to remove 301 of 1000 contacts of green-api.main/instance.1101000001 (30.1% > 30%); set safety.maxDeletePercent or pass --allow-mass-delete',
    ]);
  });

  it.each([
    [4, 13, 30, '30.77%'],
    [31, 100, 30, '31%'],
    [300_001, 1_000_000, 30, '30.0001%'],
    [2, 3, 66, '66.67%'],
  ])('%i of %i above %i%% reads %s', (removed, observed, max, text) => {
    expect(percentAbove(removed, observed, max)).toBe(text);
    expect(Number(text.replace('%', ''))).toBeGreaterThan(max);
  });
});
