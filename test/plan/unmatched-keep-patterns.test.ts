import { describe, expect, it } from 'vitest';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The planner looks for "matches nothing observed" only when a pattern may be left unmatched
 * (`CollectionDecider.mayLeavePatternsUnmatched`): a keep pattern that decided an item matches
 * something. These collections have keep patterns and no protect or remove pattern, so that the
 * keep patterns alone decide whether the warnings are looked for.
 */
const C = 'green-api.main/instance.1101000001/contacts';
const id = (n: number) => `7900${String(n).padStart(7, '0')}@c.us`;
const desired = (keep: string) =>
  desiredFrom(
    `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts:\n          prune: true\n          keep: [${keep}]\n`,
    { T: 'tok' },
  );
const rows: [string, string][] = [
  [id(1), 'Team Alpha'],
  [id(2), 'Crew Beta'],
  [id(3), 'Other'],
];
const warnings = (keep: string) =>
  plan(desired(keep), [collection(C, rows)], { allowMassDelete: true }).warnings.map((w) => w.message);

describe('keep patterns that match nothing observed', () => {
  it('are reported, while those that decided an item are not', () => {
    const w = warnings(`{name: Team *}, {name: Ghost *}`);
    expect(w).toContain('keep entry `{name: Ghost *}` (line 10) matches nothing observed');
    expect(w.join('\n')).not.toContain('Team *');
  });

  it('a pattern that matches only an item kept by its exact id is not reported', () => {
    // The exact id decides the item, so the pattern decided nothing; it still matches it.
    const w = warnings(`${id(1)}, {name: Team *}`);
    expect(w.join('\n')).not.toContain('matches nothing');
  });

  it('a pattern that matches only in another case is reported with the hint', () => {
    const w = warnings(`{name: team *}, {name: Crew *}`);
    expect(w).toContain(
      'keep entry `{name: team *}` (line 10) matches nothing observed; ignoring case it would match 1 (patterns are case-sensitive)',
    );
  });
});
