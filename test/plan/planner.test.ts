import { describe, expect, it } from 'vitest';
import { collection, message, plan, summary } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const URL = 'http://127.0.0.1:9';
const green = (body: string) =>
  desiredFrom(`version: 1\ngreen-api:\n  main:\n    apiUrl: ${URL}\n${body}`, { T: 'tok', P: 'ptok' });
const C = 'green-api.main/instance.1101000001/contacts';
const G = 'green-api.main/instance.1101000001/groups';

const contactsConfig = (policy: string) =>
  green(`    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${policy}\n`);

describe('decisions', () => {
  const desired = contactsConfig(
    '{ prune: true, keep: ["79000000001", { name: "Team *" }], protect: ["79000000003@c.us"], remove: [] }',
  );
  const observed = collection(
    C,
    [
      ['79000000001@c.us', 'Alice'],
      ['79000000002@c.us', 'Team Bob'],
      ['79000000003@c.us', 'Carol'],
      ['79000000004@c.us', 'Dan'],
      ['79990000001@c.us', 'Me'],
    ],
    { ownIds: ['79990000001@c.us'] },
  );
  const p = plan(desired, [observed], { allowMassDelete: true });
  const decisions = Object.fromEntries(p.collections[0]!.decisions.map((d) => [d.id, `${d.decision}: ${d.rule}`]));

  it.each([
    ['79000000001@c.us', 'keep: keep: 79000000001'],
    ['79000000002@c.us', 'keep: keep: {name: Team *}'],
    ['79000000003@c.us', 'protected: protect: 79000000003@c.us'],
    ['79000000004@c.us', 'remove: not kept (prune: true)'],
    ['79990000001@c.us', 'protected: own number'],
  ])('%s → %s', (id, expected) => {
    expect(decisions[id]).toBe(expected);
  });

  it('acts only on removals, and counts everything it looked at', () => {
    expect(summary(p)).toEqual(['delete-contact green-api.main/instance.1101000001/contact.79000000004@c.us']);
    expect(p.actions[0]).toMatchObject({
      target: { id: '79000000004@c.us', instance: '1101000001', name: 'Dan' },
      reason: 'not kept (prune: true)',
    });
    expect(p.collections[0]!.counts).toEqual({
      observed: 5,
      kept: 2,
      removed: 1,
      protected: 2,
      unmanaged: 0,
      missing: 0,
    });
  });

  it('without prune, only `remove` entries go; the rest is unmanaged', () => {
    const q = plan(contactsConfig('{ remove: ["7900000000*"] }'), [
      collection(C, [['79000000001@c.us'], ['79100000000@c.us']]),
    ]);
    expect(q.collections[0]!.decisions.map((d) => d.decision)).toEqual(['remove', 'unmanaged']);
    expect(q.actions[0]!.reason).toBe('listed under remove: 7900000000*');
  });

  it('protection wins over remove, and the own number over everything', () => {
    const q = plan(contactsConfig('{ remove: ["7*"], protect: [{ name: "VIP *" }] }'), [
      collection(
        C,
        [
          ['79000000001@c.us', 'VIP Anna'],
          ['79990000001@c.us', 'Me'],
          ['79000000002@c.us', 'x'],
        ],
        { ownIds: ['79990000001@c.us'] },
      ),
    ]);
    expect(q.collections[0]!.decisions.map((d) => `${d.decision} ${d.rule}`)).toEqual([
      'protected protect: {name: VIP *}',
      'protected own number',
      'remove listed under remove: 7*',
    ]);
  });

  it('reports ids the file names that do not exist as missing: a warning, not an action', () => {
    const q = plan(contactsConfig('{ prune: true, keep: ["79000000001", "79000000009"] }'), [
      collection(C, [['79000000001@c.us']]),
    ]);
    expect(q.actions).toEqual([]);
    expect(q.collections[0]!.missing).toEqual(['79000000009@c.us']);
    expect(q.warnings).toEqual([{ address: C, message: '79000000009@c.us is kept by the file but does not exist' }]);
  });

  it('never plans a collection the file does not mention, even if observed', () => {
    const q = plan(contactsConfig('{ remove: ["79000000001"] }'), [
      collection(C, [['79000000001@c.us']]),
      collection(G, [['1203@g.us']]),
    ]);
    expect(q.collections.map((c) => c.address)).toEqual([C]);
  });
});

describe('ordering and instances', () => {
  const desired = green(
    `    partner:\n      token: \${P}\n      instances: { remove: [1101000003, 1101000004] }\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { remove: ["79000000001"] }\n        groups: { remove: ["1203@g.us"] }\n`,
  );
  const world = [
    collection('green-api.main/instances', [
      ['1101000001', 'main', { kind: 'instance', expired: false, state: 'authorized' }],
      ['1101000003', 'old', { kind: 'instance', expired: false, state: 'authorized' }],
      ['1101000004', 'idle', { kind: 'instance', expired: false, state: 'notAuthorized' }],
    ]),
    collection(C, [['79000000001@c.us']]),
    collection(G, [['1203@g.us', 'G', { kind: 'group', admin: { isAdmin: false, lastAdmin: false } }]]),
  ];

  it('leaves groups, deletes contacts, then logs out and deletes instances; logout only when authorized', () => {
    const p = plan(desired, world);
    expect(summary(p)).toEqual([
      'leave-group green-api.main/instance.1101000001/group.1203@g.us',
      'delete-contact green-api.main/instance.1101000001/contact.79000000001@c.us',
      'logout-instance green-api.main/instance.1101000003',
      'delete-instance green-api.main/instance.1101000003',
      'delete-instance green-api.main/instance.1101000004',
    ]);
    expect(p.actions[3]!.dependsOn).toEqual(['logout-instance:green-api.main/instance.1101000003']);
    expect(p.actions[4]!.dependsOn).toEqual([]);
  });

  it('protects an instance whose collections the file manages, whatever the partner policy says', () => {
    const d = green(
      `    partner:\n      token: \${P}\n      instances: { remove: ["11010000*"] }\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { remove: [] }\n`,
    );
    const p = plan(d, [world[0]!, collection(C, [])]);
    expect(p.collections[0]!.decisions.find((x) => x.id === '1101000001')?.decision).toBe('protected');
    expect(summary(p)).not.toContain('delete-instance green-api.main/instance.1101000001');
  });

  it('--target limits the plan to matching addresses, keeping dependencies together', () => {
    const p = plan(desired, world, { targets: ['green-api.main/instance.1101000003'] });
    expect(summary(p)).toEqual([
      'logout-instance green-api.main/instance.1101000003',
      'delete-instance green-api.main/instance.1101000003',
    ]);
    expect(summary(plan(desired, world, { targets: ['*contact.79*'] }))).toEqual([
      'delete-contact green-api.main/instance.1101000001/contact.79000000001@c.us',
    ]);
    expect(summary(plan(desired, world, { targets: ['nothing.matches'] }))).toEqual([]);
  });
});

describe('hazards and refusals', () => {
  const groups = (policy: string) =>
    green(`    instances:\n      1101000001:\n        token: \${T}\n        groups: ${policy}\n`);
  const lastAdmin = collection(G, [
    ['1203@g.us', 'Family', { kind: 'group', admin: { isAdmin: true, lastAdmin: true } }],
  ]);

  it('refuses to leave a group where the own number is the last admin', () => {
    const p = plan(groups('{ remove: ["1203@g.us"] }'), [lastAdmin]);
    expect(p.refusals).toEqual([
      {
        kind: 'last-admin',
        address: 'green-api.main/instance.1101000001/group.1203@g.us',
        message:
          'refusing to leave green-api.main/instance.1101000001/group.1203@g.us ("Family"): the own number is its last admin, and the group would be left without one; set allowLastAdminLeave: true on the groups collection or on its remove entry',
      },
    ]);
  });

  it.each([
    ['{ allowLastAdminLeave: true, remove: ["1203@g.us"] }'],
    ['{ remove: [{ id: "1203@g.us", allowLastAdminLeave: true }] }'],
  ])('allows it with %s', (policy) => {
    const p = plan(groups(policy), [lastAdmin]);
    expect(p.refusals).toEqual([]);
    expect(summary(p)).toEqual(['leave-group green-api.main/instance.1101000001/group.1203@g.us']);
  });

  it('brakes mass deletion with numbers and a remedy', () => {
    const items = Array.from({ length: 10 }, (_, i): [string] => [`7900000000${i}@c.us`]);
    const p = plan(
      contactsConfig(
        '{ prune: true, keep: ["79000000000", "79000000001", "79000000002", "79000000003", "79000000004", "79000000005"] }',
      ),
      [collection(C, items)],
    );
    expect(p.refusals.map((r) => r.message)).toEqual([
      'refusing to remove 4 of 10 contacts of green-api.main/instance.1101000001 (40% > 30%); set safety.maxDeletePercent or pass --allow-mass-delete',
    ]);
    expect(
      plan(contactsConfig('{ prune: true, keep: ["79000000000"] }'), [collection(C, items)], { allowMassDelete: true })
        .refusals,
    ).toEqual([]);
    expect(
      plan(contactsConfig('{ prune: true, keep: ["79000000000"], safety: { maxDeletePercent: 100 } }'), [
        collection(C, items),
      ]).refusals,
    ).toEqual([]);
    // Fewer observed items than minItems: no percentage brake...
    expect(
      plan(contactsConfig('{ prune: true, keep: ["79000000000"] }'), [collection(C, items.slice(0, 9))]).refusals,
    ).toEqual([]);
    // ...but emptying the collection is refused whatever its size (issue 15), unless the file allows it.
    expect(
      plan(contactsConfig('{ prune: true, keep: [] }'), [collection(C, items.slice(0, 9))]).refusals.map((r) => r.kind),
    ).toEqual(['empties-collection']);
    expect(
      plan(contactsConfig('{ prune: true, keep: [], allowEmpty: true }'), [collection(C, items.slice(0, 9))]).refusals,
    ).toEqual([]);
  });

  const chat = (policy: string) =>
    desiredFrom(`version: 1\n2chat:\n  s:\n    apiKey: \${K}\n    apiUrl: ${URL}\n${policy}`, { K: 'k' });
  const M = '2chat.s/number.+5215511112222/messages';

  it("flags 2Chat messages WhatsApp will keep: older than 60 h by the plan expiry, or others' messages in groups", () => {
    const p = plan(
      chat('    messages:\n      "+5215511112222": { olderThan: 1h }\n'),
      [
        collection(M, [
          ['MSG-new', '', message('2026-11-25T10:00:00Z', 'api')],
          ['MSG-edge', '', message('2026-11-23T06:00:00Z', 'api')], // 54 h now, 78 h at expiry
          ['MSG-old', '', message('2026-11-20T10:00:00Z', 'agent')],
          ['MSG-group', '', message('2026-11-25T10:00:00Z', 'user', true)],
        ]),
      ],
      { allowMassDelete: true },
    );
    const byId = Object.fromEntries(p.actions.map((a) => [a.target.id, [a.expected ?? 'done', a.warnings.length]]));
    expect(byId).toEqual({
      'MSG-new': ['done', 0],
      'MSG-edge': ['partial', 1],
      'MSG-old': ['partial', 1],
      'MSG-group': ['partial', 1],
    });
    expect(p.actions.find((a) => a.target.id === 'MSG-group')!.warnings[0]).toMatch(/group admin/);
    expect(p.actions[0]!.target).toMatchObject({ number: '+5215511112222', sessionKey: 'WW-n-5215500000001@c.us' });
  });

  it('retention honours sentBy and leaves inbound messages alone', () => {
    const p = plan(
      chat('    messages:\n      "+5215511112222": { olderThan: 1h, sentBy: [api] }\n'),
      [
        collection(M, [
          ['a', '', message('2026-11-25T10:00:00Z', 'api')],
          ['b', '', message('2026-11-25T10:00:00Z', 'user')],
          ['c', '', message('2026-11-25T11:30:00Z', 'api')],
        ]),
      ],
      { allowMassDelete: true },
    );
    expect(p.actions.map((a) => [a.target.id, a.reason])).toEqual([['a', 'older than 1h, sent by api']]);
  });

  it('does not plan the messages of a number it deletes', () => {
    const p = plan(
      chat(
        '    numbers: { remove: ["+5215511112222"] }\n    messages:\n      "+5215511112222": { remove: ["MSG-1"] }\n',
      ),
      [
        collection('2chat.s/numbers', [['+5215511112222']]),
        collection(M, [['MSG-1', '', message('2026-11-25T10:00:00Z', 'api')]]),
      ],
    );
    expect(summary(p)).toEqual(['delete-number 2chat.s/number.+5215511112222']);
    expect(p.collections[1]).toMatchObject({
      status: 'superseded',
      note: 'not planned: 2chat.s/number.+5215511112222 is deleted by this plan',
    });
  });

  it('a collection that could not be observed is an error, never a removal', () => {
    const failed = {
      ...collection(C, []),
      error: new Error('GET http://x/waInstance1101000001/getContacts/sekrit failed with 500'),
    };
    const p = plan(contactsConfig('{ prune: true, keep: [] }'), [failed]);
    expect(p.actions).toEqual([]);
    expect(p.errors).toEqual([
      { collection: C, message: 'GET http://x/waInstance1101000001/getContacts/*** failed with 500' },
    ]);
  });
});
