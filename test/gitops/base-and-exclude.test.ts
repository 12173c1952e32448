import { describe, expect, it } from 'vitest';
import { baseProtectionRefusals } from '../../src/plan/base-protection.js';
import { selectionMatcher } from '../../src/plan/target.js';
import { collection, plan, summary } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const G = 'green-api.main/instance.1101000001/groups';
const config = (contacts: string, groups = '{ remove: [] }', file = 'chatstate.yaml') =>
  desiredFrom(
    `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${contacts}\n        groups: ${groups}\n`,
    { T: 't' },
    file,
  );
const observed = () => [
  collection(C, [
    ['79000000001@c.us', 'Alice'],
    ['79000000002@c.us', 'VIP Bob'],
    ['79000000003@c.us', 'Carol'],
  ]),
  collection(G, [
    ['1-1@g.us', 'Team'],
    ['1-2@g.us', 'Old'],
  ]),
];

describe('plan --base: a protection cannot be removed in the same change that uses it', () => {
  it('refuses removing what a protect entry of the base file covered (by id or by name), with the remedy', () => {
    const base = config('{ protect: [79000000001@c.us, { name: VIP * }] }', '{ remove: [] }', 'base.yaml');
    const p = plan(config('{ remove: [79000000001@c.us, 79000000002@c.us, 79000000003@c.us] }'), observed(), {
      allowMassDelete: true,
    });
    expect(p.actions).toHaveLength(3);
    const refusals = baseProtectionRefusals(p, base, observed());
    expect(refusals.map((r) => r.address)).toEqual([
      `${C.replace('/contacts', '')}/contact.79000000001@c.us`,
      `${C.replace('/contacts', '')}/contact.79000000002@c.us`,
    ]);
    expect(refusals[0]!.kind).toBe('base-protection');
    expect(refusals[0]!.message).toContain('`protect: 79000000001@c.us` covers it in base.yaml (line 8)');
    expect(refusals[0]!.message).toContain('Remove the protection in its own pull request first');
    expect(refusals[1]!.message).toContain('`protect: {name: VIP *}`');
  });

  it('does not refuse what the base file did not protect, or a protection kept in the new file', () => {
    const base = config('{ protect: [79000000001@c.us] }', '{ protect: [1-1@g.us] }', 'base.yaml');
    const p = plan(
      config('{ protect: [79000000001@c.us], remove: [79000000003@c.us] }', '{ remove: [1-2@g.us] }'),
      observed(),
    );
    expect(summary(p).sort()).toEqual([
      'delete-contact green-api.main/instance.1101000001/contact.79000000003@c.us',
      'leave-group green-api.main/instance.1101000001/group.1-2@g.us',
    ]);
    expect(baseProtectionRefusals(p, base, observed())).toEqual([]);
    expect(baseProtectionRefusals(p, config('{ remove: [] }', '{ remove: [] }', 'base.yaml'), observed())).toEqual([]);
  });
});

describe('--exclude beside --target', () => {
  it('leaves out matching addresses, with the same whole-address matching as --target', () => {
    const desired = config(
      '{ remove: [79000000001@c.us, 79000000002@c.us, 79000000003@c.us] }',
      '{ remove: [1-2@g.us] }',
    );
    const all = plan(desired, observed(), { allowMassDelete: true });
    expect(all.actions).toHaveLength(4);
    const p = plan(desired, observed(), {
      allowMassDelete: true,
      excludes: ['*contact.79000000002@c.us', 'green-api.main/instance.1101000001/group.*'],
    });
    expect(summary(p).sort()).toEqual([
      'delete-contact green-api.main/instance.1101000001/contact.79000000001@c.us',
      'delete-contact green-api.main/instance.1101000001/contact.79000000003@c.us',
    ]);
    expect(p.excludes).toEqual(['*contact.79000000002@c.us', 'green-api.main/instance.1101000001/group.*']);
    const targeted = plan(desired, observed(), {
      allowMassDelete: true,
      targets: ['green-api.main/instance.1101000001/contact.*'],
      excludes: ['*.79000000001@c.us'],
    });
    expect(summary(targeted).sort()).toEqual([
      'delete-contact green-api.main/instance.1101000001/contact.79000000002@c.us',
      'delete-contact green-api.main/instance.1101000001/contact.79000000003@c.us',
    ]);
    expect(all.excludes).toBeUndefined();
  });

  it('the matcher: an exclude wins over a target; ancestors select their children', () => {
    const m = selectionMatcher(['green-api.main'], ['green-api.main/instance.2']);
    expect(m('green-api.main/instance.1/contact.x')).toBe(true);
    expect(m('green-api.main/instance.2/contact.x')).toBe(false);
    expect(m('green-api.main/instance.2')).toBe(false);
    expect(m('wabotify.w/contact.c-1')).toBe(false);
    expect(selectionMatcher([], ['wabotify.w'])('green-api.main/instance.1')).toBe(true);
  });
});
