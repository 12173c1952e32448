import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/shared/source-error.js';
import { collection, plan, summary } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const contacts = (policy: string) =>
  desiredFrom(
    `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${policy}\n`,
    { T: 'tok' },
  );

const WORLD = collection(C, [
  ['79876543210@c.us', 'Alice'],
  ['79876543212@c.us', 'Team Anna'],
  ['79876543213@c.us', 'Team Oleg'],
  ['79876543219@c.us', 'spam-bot-1'],
]);

describe('protect > keep > remove glob (issue 12, point 2)', () => {
  it('a remove glob never takes what keep names, by id or by name', () => {
    const p = plan(
      contacts(
        '{ keep: [79876543210@c.us, { name: Team * }], remove: ["7987654321?@c.us"], safety: { maxDeletePercent: 100 } }',
      ),
      [WORLD],
    );
    expect(summary(p)).toEqual(['delete-contact green-api.main/instance.1101000001/contact.79876543219@c.us']);
    expect(p.collections[0]!.decisions.map((d) => `${d.id} ${d.decision} ${d.rule}`)).toEqual([
      '79876543210@c.us keep keep: 79876543210@c.us',
      '79876543212@c.us keep keep: {name: Team *}',
      '79876543213@c.us keep keep: {name: Team *}',
      '79876543219@c.us remove listed under remove: 7987654321?@c.us',
    ]);
  });

  it('protect beats keep and remove', () => {
    const p = plan(
      contacts(
        '{ prune: true, keep: [{ name: Team * }], remove: ["7987654321?@c.us"], protect: [{ name: "Team O*" }], safety: { maxDeletePercent: 100 } }',
      ),
      [WORLD],
    );
    expect(p.collections[0]!.decisions.map((d) => d.decision)).toEqual(['remove', 'keep', 'protected', 'remove']);
  });

  it('an exact remove id that an exact keep id names is still a config error', () => {
    expect(() => contacts('{ keep: ["+7 987 654-32-10"], remove: [79876543210@c.us] }')).toThrow(SourceError);
    try {
      contacts('{ keep: ["+7 987 654-32-10"], remove: [79876543210@c.us] }');
    } catch (err) {
      expect((err as SourceError).problems.map((x) => x.message)).toEqual([
        expect.stringContaining('is both kept (line 8) and removed'),
      ]);
    }
  });
});
