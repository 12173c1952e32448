import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observedIdSyntax, ownKeyIsId } from '../../src/plan/observed-ids.js';
import { ownIdKey } from '../../src/shared/ids.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The planner compares a valid GREEN-API contact or group id with the own ids' keys directly, without
 * making its `ownIdKey` (issue 17): that is only right if every valid id of those collections is its
 * own key. Own numbers written in any form must still be protected.
 */

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

describe('own ids', () => {
  it('a valid GREEN-API contact or group id is its own ownIdKey; instance ids and 2Chat numbers are not', () => {
    const contacts = observedIdSyntax('green-api', 'contacts');
    const groups = observedIdSyntax('green-api', 'groups');
    expect(ownKeyIsId('green-api', 'contacts')).toBe(true);
    expect(ownKeyIsId('green-api', 'groups')).toBe(true);
    expect(ownKeyIsId('green-api', 'instances')).toBe(false);
    expect(ownKeyIsId('2chat', 'numbers')).toBe(false);
    expect(ownKeyIsId('wabotify', 'contacts')).toBe(false);
    fc.assert(
      fc.property(digits(5, 20), fc.constantFrom('@c.us', '@lid'), (d, suffix) => {
        const id = `${d}${suffix}`;
        expect(contacts.test(id)).toBe(true);
        expect(ownIdKey(id)).toBe(id);
      }),
    );
    fc.assert(
      fc.property(digits(1, 20), fc.option(digits(1, 12)), (a, b) => {
        const id = `${a}${b === null ? '' : `-${b}`}@g.us`;
        expect(groups.test(id)).toBe(true);
        expect(ownIdKey(id)).toBe(id);
      }),
    );
  });

  it('the own number is protected whatever form the provider reports it in', () => {
    const desired = desiredFrom(
      `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [79000000001@c.us] }\n`,
      { T: 'tok' },
    );
    const C = 'green-api.main/instance.1101000001/contacts';
    for (const own of ['79990000001@c.us', '+7 999 000-00-01', '79990000001', '79990000001@C.US']) {
      const p = plan(
        desired,
        [
          collection(C, [['79000000001@c.us'], ['79990000001@c.us'], ['79000000002@c.us'], ['79000000003@c.us']], {
            ownIds: [own],
          }),
        ],
        { allowMassDelete: true },
      );
      expect(p.collections[0]!.decisions.map((d) => `${d.decision} ${d.rule}`)).toEqual([
        'keep keep: 79000000001@c.us',
        'protected own number',
        'remove not kept (prune: true)',
        'remove not kept (prune: true)',
      ]);
    }
  });
});
