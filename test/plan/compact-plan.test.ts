import { describe, expect, it } from 'vitest';
import { DecisionColumns, decisionTable, itemSource, RuleList } from '../../src/model/decision-table.js';
import type { Decision } from '../../src/model/plan.js';
import { collection, message, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The plan's compact in-memory form (issue 17): decisions as a code and a rule index per item,
 * rule texts made when read, actions made when first read. What it shows must be what a plan of one
 * object per decision showed (the golden files prove it for the example world; these cases pin the
 * parts the example world does not reach).
 */

const C = 'green-api.main/instance.1101000001/contacts';
const green = (contacts: string) =>
  desiredFrom(
    `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${contacts}\n`,
    { T: 'tok' },
  );
const rows = (p: ReturnType<typeof plan>, k = 0) =>
  p.collections[k]!.decisions.map((d) => `${d.id} ${d.decision} ${d.rule}`);

describe('decision tables', () => {
  it('make the rows they hold, as JSON the list of rows; rows with the same rule share one entry', () => {
    const given: Decision[] = [
      { id: 'a', name: 'A', decision: 'keep', rule: 'keep: a' },
      { id: 'b', name: '', decision: 'remove', rule: 'not kept (prune: true)' },
      { id: 'c', name: 'C', decision: 'remove', rule: 'not kept (prune: true)' },
      { id: 'd', name: 'D', decision: 'not-targeted', rule: 'not targeted (not kept (prune: true))' },
    ];
    const table = decisionTable(given);
    expect([...table]).toEqual(given);
    expect(JSON.parse(JSON.stringify(table))).toEqual(given);
    expect(table.rules.length).toBe(3);
    expect(table.ruleIndex(1)).toBe(table.ruleIndex(2));
    expect(table.find((d) => d.id === 'c')).toEqual(given[2]);
    expect(table.filter((d) => d.decision === 'remove').map((d) => d.id)).toEqual(['b', 'c']);
    expect(table.at(3).decision).toBe('not-targeted');
  });

  it('refuse columns of different lengths, and a decision that is not one', () => {
    const items = itemSource([{ id: 'a', name: '' }]);
    expect(() => new DecisionColumns(items, new Uint8Array(2), new Uint16Array(1), new RuleList(['x']))).toThrow(
      'decision columns of different lengths',
    );
    expect(() => decisionTable([{ id: 'a', name: '', decision: 'gone' as never, rule: 'x' }])).toThrow(
      'unknown decision "gone"',
    );
  });
});

describe('the planner decides into columns', () => {
  it('every kind of rule reads as it always has: entries of each list, fixed rules, computed ones', () => {
    const p = plan(
      green(
        '{ prune: true, keep: [79000000001@c.us, {name: "Team *"}], remove: [79000000004@c.us], protect: [{name: Boss}] }',
      ),
      [
        collection(
          C,
          [
            ['79000000001@c.us', 'Ann'],
            ['79000000002@c.us', 'Team Bob'],
            ['79000000003@c.us', 'Boss'],
            ['79000000004@c.us', 'Dee'],
            ['79000000005@c.us', 'Eve'],
            ['79000000006@c.us', 'Own'],
          ],
          { ownIds: ['79000000006@c.us'] },
        ),
      ],
      { allowMassDelete: true, targets: ['*contact.79000000004*'] },
    );
    expect(rows(p)).toEqual([
      '79000000001@c.us keep keep: 79000000001@c.us',
      '79000000002@c.us keep keep: {name: Team *}',
      '79000000003@c.us protected protect: {name: Boss}',
      '79000000004@c.us remove listed under remove: 79000000004@c.us',
      '79000000005@c.us not-targeted not targeted (not kept (prune: true))',
      '79000000006@c.us protected own number',
    ]);
    expect(p.collections[0]!.counts).toEqual({
      observed: 6,
      kept: 2,
      removed: 1,
      protected: 2,
      unmanaged: 0,
      missing: 0,
      notTargeted: 1,
    });
    expect(p.actions.map((a) => `${a.type} ${a.target.id} ${a.reason}`)).toEqual([
      'delete-contact 79000000004@c.us listed under remove: 79000000004@c.us',
    ]);
  });

  it('retention rules are computed once per text and shared by the messages they remove', () => {
    const desired = desiredFrom(
      'version: 1\n2chat:\n  support:\n    apiKey: ${K}\n    apiUrl: http://127.0.0.1:9\n    messages:\n      "+5215511112222": { olderThan: 24h, sentBy: [ agent ] }\n',
      { K: 'k' },
    );
    const old = '2026-11-20T10:00:00Z';
    const p = plan(
      desired,
      [
        collection('2chat.support/number.+5215511112222/messages', [
          ['MSG-1', '', message(old, 'agent')],
          ['MSG-2', '', message(old, 'agent')],
          ['MSG-3', '', message(old, 'api')],
        ]),
      ],
      { allowMassDelete: true },
    );
    const table = p.collections[0]!.decisions;
    expect(rows(p)).toEqual([
      'MSG-1 remove older than 1d, sent by agent',
      'MSG-2 remove older than 1d, sent by agent',
      'MSG-3 unmanaged not mentioned (prune: false)',
    ]);
    expect(table.ruleIndex(0)).toBe(table.ruleIndex(1));
  });

  it('ids listed twice count once, kept or not, and the first record is the one decided', () => {
    const p = plan(
      green('{ prune: true, keep: [79000000001@c.us] }'),
      [
        collection(C, [
          ['79000000001@c.us', 'Ann'],
          ['79000000002@c.us', 'Bob'],
          ['79000000001@c.us', 'Ann again'],
          ['79000000002@c.us', 'Bob again'],
          ['79000000003@c.us', 'Cy'],
        ]),
      ],
      { allowMassDelete: true },
    );
    expect(p.collections[0]!.decisions.map((d) => `${d.id} ${d.name} ${d.decision}`)).toEqual([
      '79000000001@c.us Ann keep',
      '79000000002@c.us Bob remove',
      '79000000003@c.us Cy remove',
    ]);
    expect(p.collections[0]!.counts.observed).toBe(3);
    expect(p.actions.map((a) => a.target.id)).toEqual(['79000000002@c.us', '79000000003@c.us']);
    expect(p.warnings).toContainEqual({ address: C, message: 'the provider listed 2 duplicate ids; each counts once' });
  });

  it("a kept id observed only as a LID contact's resolved phone is not missing; one not observed is", () => {
    const p = plan(
      green('{ prune: true, keep: [79000000001@c.us, 79000000009@c.us] }'),
      [
        collection(C, [
          ['111111111111111@lid', 'Lid', { kind: 'contact', phone: '79000000001@c.us' }],
          ['79000000002@c.us', 'Bob'],
        ]),
      ],
      { allowMassDelete: true },
    );
    expect(p.collections[0]!.missing).toEqual(['79000000009@c.us']);
    expect(rows(p)[0]).toBe('111111111111111@lid keep keep: 79000000001@c.us');
  });

  it('the fingerprint is made from the ids when read, the same whatever the order of the ids', () => {
    const items: [string, string][] = [
      ['79000000002@c.us', 'b'],
      ['79000000001@c.us', 'a'],
    ];
    const one = plan(green('{ prune: false }'), [collection(C, items)]);
    const other = plan(green('{ prune: false }'), [collection(C, [...items].reverse())]);
    expect(one.collections[0]!.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(one.collections[0]!.fingerprint).toBe(other.collections[0]!.fingerprint);
    expect(Object.keys(one.collections[0]!)).toEqual([
      'address',
      'provider',
      'account',
      'kind',
      'status',
      'fingerprint',
      'counts',
      'decisions',
      'missing',
    ]);
    expect(Object.keys(one).slice(-5)).toEqual(['collections', 'actions', 'warnings', 'refusals', 'errors']);
  });
});
