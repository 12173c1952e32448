import { describe, expect, it } from 'vitest';
import { exactIdsProven, makeEntry } from '../../src/config/entry.js';
import type { GreenApiAccountConfig } from '../../src/config/model.js';
import { observedIdSyntax } from '../../src/plan/observed-ids.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The planner skips the id syntax test for an observed id that equals an exact keep id, but only
 * when the loader recorded that the list's ids have that syntax (issue 17). An invalid observed id
 * must still fail its collection, whatever else the list keeps.
 */

const C = 'green-api.main/instance.1101000001/contacts';
const yaml = (contacts: string) =>
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${contacts}\n`;
const desired = desiredFrom(yaml('{ prune: true, keep: ["+7 900 000-00-01", 79000000002@c.us, "7900*"] }'), {
  T: 'tok',
});
const syntax = observedIdSyntax('green-api', 'contacts');
const account = desired.accounts[0] as GreenApiAccountConfig;

describe('kept ids and the observed id syntax', () => {
  it('the loader records that its contact keep lists hold chat ids only; a list made by hand is not trusted', () => {
    const policy = account.instances[0]!.contacts!;
    expect(exactIdsProven(policy.keep, syntax)).toBe(true);
    expect(exactIdsProven(policy.remove, syntax)).toBe(true);
    const byHand = [makeEntry({ text: 'x', field: 'id', pattern: 'x', exact: true, at: { line: 1, col: 1 } })];
    expect(exactIdsProven(byHand, syntax)).toBe(false);
  });

  it('kept ids and valid others are planned', () => {
    const p = plan(desired, [
      collection(C, [
        ['79000000001@c.us', 'Ann'],
        ['79000000002@c.us', 'Bob'],
        ['79000000003@c.us', 'Cy'],
      ]),
    ]);
    expect(p.errors).toEqual([]);
    expect(p.collections[0]!.decisions.map((d) => d.decision)).toEqual(['keep', 'keep', 'keep']);
  });

  it('an invalid id beside kept ones still fails the collection', () => {
    const p = plan(desired, [
      collection(C, [
        ['79000000001@c.us', 'Ann'],
        ['79000000003@C.US', 'Cy'],
        ['79000000002@c.us', 'Bob'],
      ]),
    ]);
    expect(p.collections[0]!.status).toBe('failed');
    expect(p.errors[0]!.message).toContain('"79000000003@C.US"');
  });

  it('with a list made by hand, a kept id of the wrong syntax still fails the collection', () => {
    const policy = account.instances[0]!.contacts!;
    const bad = makeEntry({
      text: 'bad',
      field: 'id',
      pattern: '79000000009@C.US',
      exact: true,
      at: { line: 9, col: 1 },
    });
    const byHand = {
      ...desired,
      accounts: [
        {
          ...account,
          instances: [{ ...account.instances[0]!, contacts: { ...policy, keep: [...policy.keep, bad] } }],
        },
      ],
    } as typeof desired;
    const p = plan(byHand, [collection(C, [['79000000009@C.US', 'Odd']])]);
    expect(p.collections[0]!.status).toBe('failed');
  });
});
