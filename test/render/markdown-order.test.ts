import { describe, expect, it } from 'vitest';
import { decisionTable } from '../../src/model/decision-table.js';
import type { Decision, Plan } from '../../src/model/plan.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const desired = desiredFrom(
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [79000000003@c.us, 79000000007@c.us] }\n`,
  { T: 't' },
);
const ids = Array.from({ length: 10 }, (_, i) => `7900000000${i}@c.us`);
const base = plan(
  desired,
  [
    collection(
      C,
      ids.map((id, i): [string, string] => [id, `Person ${i}`]),
    ),
  ],
  { allowMassDelete: true },
);

const withDecisions = (p: Plan, decisions: Decision[]): Plan => ({
  ...p,
  collections: p.collections.map((c) => (c.address === C ? { ...c, decisions: decisionTable(decisions) } : c)),
});
const diffBlock = (md: string): string[] => /```diff\n([^]*?)\n```/.exec(md)![1]!.split('\n');

describe('Markdown diff: id order, whatever order the decisions come in', () => {
  const sorted = base.collections.find((c) => c.address === C)!.decisions;

  it('lists removals in id order with two lines of context', () => {
    expect(sorted.filter((d) => d.decision === 'remove')).toHaveLength(8);
    expect(diffBlock(renderMarkdown(base))).toEqual([
      '@@ -1,10 +1,2 @@',
      ...ids.map((id, i) => `${i === 3 || i === 7 ? ' ' : '-'}${id}  Person ${i}`),
    ]);
  });

  it('renders decisions in any order exactly as in id order', () => {
    const expected = renderMarkdown(base);
    const reversed = [...sorted].reverse();
    const shuffled = sorted.map((d, i) => ({ d, k: (i * 7) % sorted.length })).sort((a, b) => a.k - b.k);
    expect(renderMarkdown(withDecisions(base, reversed))).toBe(expected);
    expect(
      renderMarkdown(
        withDecisions(
          base,
          shuffled.map((x) => x.d),
        ),
      ),
    ).toBe(expected);
    // Bounded documents cut the same units whatever the order.
    for (const maxChars of [1200, 1600, 2400])
      expect(renderMarkdown(withDecisions(base, reversed), { maxChars })).toBe(renderMarkdown(base, { maxChars }));
  });

  it('removes every copy of a removed id, and explains it once', () => {
    const kept = sorted.find((d) => d.decision === 'keep')!;
    const removed = sorted.find((d) => d.decision === 'remove')!;
    // A hand-edited or merged plan may carry an id twice: a kept copy of a removed id goes too.
    const md = renderMarkdown(
      withDecisions(base, [...sorted, { ...removed, decision: 'keep' as const }, { ...kept, name: 'Copy' }].reverse()),
    );
    const lines = diffBlock(md);
    expect(lines.filter((l) => l.startsWith(`-${removed.id}`))).toHaveLength(2);
    // Copies of an id keep the decisions' order (here reversed: the copy first).
    expect(lines.filter((l) => l.slice(1).startsWith(kept.id))).toEqual([
      ` ${kept.id}  Copy`,
      ` ${kept.id}  ${kept.name}`,
    ]);
    expect(md.match(new RegExp(`^- delete contact \`${removed.id}\``, 'gm'))).toHaveLength(1);
    expect(md).toContain('<summary>why (8 actions)</summary>');
  });

  it('a backtick in an id or a name cannot close the diff fence (a context line may start with it)', () => {
    const rows = [...sorted];
    // Kept ids are context lines, which start with one space: a fence there would close the block.
    rows[3] = { ...rows[3]!, id: '```', name: '```' };
    rows[7] = { ...rows[7]!, name: '`x`\n```' };
    const md = renderMarkdown(withDecisions(base, rows));
    const fences = md.split('\n').filter((l) => /^ {0,3}(`{3,}|~{3,})/.test(l));
    expect(fences).toEqual(['```diff', '```']);
    expect(md).toContain("\n '''  '''\n");
    expect(md).toContain("\n 79000000007@c.us  'x'\\u{a}'''\n");
  });
});
