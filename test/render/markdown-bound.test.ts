import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { DEFAULT_MAX_CHARS, renderMarkdown } from '../../src/render/markdown.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const G = 'green-api.main/instance.1101000001/groups';
const config = (contacts: string, groups = '{ remove: [] }') =>
  desiredFrom(
    `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${contacts}\n        groups: ${groups}\n`,
    { T: 't' },
  );

/** 20,000 contacts to remove (every third one kept, so hunks have context), with names. */
function bigPlan(options: { allowMassDelete?: boolean; warnings?: number } = {}): Plan {
  const items = Array.from({ length: 30_000 }, (_, i): [string, string] => [
    `49176${String(i).padStart(8, '0')}@c.us`,
    `Person ${i} <b>x</b>`,
  ]);
  const kept = items.filter((_, i) => i % 3 === 0).map(([id]) => id);
  const p = plan(
    config(`{ prune: true, keep: [${kept.join(', ')}] }`, '{ remove: [1-2@g.us] }'),
    [collection(C, items), collection(G, [['1-2@g.us', 'Old group']])],
    { allowMassDelete: options.allowMassDelete ?? true },
  );
  return {
    ...p,
    warnings: [
      ...p.warnings,
      ...Array.from({ length: options.warnings ?? 0 }, (_, i) => ({ address: C, message: `warning ${i}` })),
    ],
  };
}

/** Every ```diff block: its hunk headers agree with the lines under them. */
function checkDiffBlocks(md: string): number {
  const blocks = [...md.matchAll(/^```diff\n([^]*?)^```$/gm)].map((m) => m[1]!.split('\n').slice(0, -1));
  for (const lines of blocks) {
    let expected: { old: number; neu: number } | undefined;
    let old = 0;
    let neu = 0;
    const close = () => {
      if (expected) expect({ old, neu }).toEqual(expected);
    };
    for (const l of lines) {
      const h = /^@@ -\d+,(\d+) \+\d+,(\d+) @@$/.exec(l);
      if (h) {
        close();
        expected = { old: Number(h[1]), neu: Number(h[2]) };
        old = 0;
        neu = 0;
      } else if (l.startsWith('-')) old++;
      else if (l.startsWith(' ')) {
        old++;
        neu++;
      } else throw new Error(`not a diff line: ${l}`);
    }
    close();
  }
  return blocks.length;
}

describe('plan --format markdown within --max-chars', () => {
  it('a plan of 20,000 removals stays within the bound, renders as valid Markdown, and ends with "… and K more"', async () => {
    const p = bigPlan();
    expect(p.actions).toHaveLength(20_001);
    const md = renderMarkdown(p, { maxChars: DEFAULT_MAX_CHARS });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    expect(md.length).toBeGreaterThan(DEFAULT_MAX_CHARS * 0.9);
    const lines = md.trimEnd().split('\n');
    const last = /^… and (\d+) more: see the plan artifact$/.exec(lines[lines.length - 1]!);
    expect(last).not.toBeNull();
    // Shown + more = every removal (the group's too).
    const shown = lines.filter((l) => /^-49176\d{8}@c\.us {2}Person/.test(l)).length;
    expect(shown).toBeGreaterThan(100);
    expect(md).toContain('-1-2@g.us  Old group');
    expect(shown + 1 + Number(last![1])).toBe(20_001);
    expect(checkDiffBlocks(md)).toBe(2);
    expect(md.match(/^```/gm)!.length % 2).toBe(0);
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
    // Head, verdict and table are kept.
    expect(md).toMatch(/\*\*Plan: 20000 to delete[^*\n]*, 1 group to leave[^*\n]*\*\*/);
    expect(md).toContain(`| \`${C}\` | 30000 | 10000 | **20000** | 0 | 0 |`);
    expect(md).toContain(`| \`${G}\` | 1 | 0 | **1** | 0 | 0 |`);
    expect(md).toContain(`#### \`${C}\`: 20000 to remove (${shown} shown)`);
    const html = await marked.parse(md);
    expect(html).toContain('<table>');
    expect(html).toContain('<pre><code class="language-diff">');
    expect(html).not.toContain('<b>x</b>');
    expect(html.trimEnd().endsWith(`<p>… and ${last![1]} more: see the plan artifact</p>`)).toBe(true);
  });

  it("keeps refusals and the warnings' count, and still shows what fits; any bound is kept", async () => {
    const p = bigPlan({ allowMassDelete: false, warnings: 5_000 });
    expect(p.refusals.length).toBeGreaterThan(0);
    for (const max of [65_000, 20_000, 5_000]) {
      const md = renderMarkdown(p, { maxChars: max });
      expect(md.length, `bound ${max}`).toBeLessThanOrEqual(max);
      expect(md).toContain('⛔ **Refused: this plan cannot be applied.**');
      expect(md).toContain('#### Refused');
      expect(md).toContain('refusing to remove 20000 of 30000 contacts');
      expect(md).toContain('**5000 warnings**: listed in the plan artifact');
      expect(md).not.toContain('warning 4999');
      expect(md.trimEnd()).toMatch(/… and \d+ more: see the plan artifact$/);
      checkDiffBlocks(md);
      await marked.parse(md);
    }
  });

  it('a plan that fits is whole: every removal with its name, warnings listed, no "more" line', () => {
    const p = plan(
      config('{ prune: true, keep: [4917600000002@c.us] }'),
      [
        collection(C, [
          ['4917600000001@c.us', 'Jane Doe'],
          ['4917600000002@c.us', 'Kept Person'],
        ]),
      ],
      { allowMassDelete: true },
    );
    const md = renderMarkdown(p, { maxChars: DEFAULT_MAX_CHARS });
    expect(md).toContain(
      '```diff\n@@ -1,2 +1,1 @@\n-4917600000001@c.us  Jane Doe\n 4917600000002@c.us  Kept Person\n```',
    );
    expect(md).not.toContain('more: see the plan artifact');
    expect(renderMarkdown(p)).toBe(md);
  });

  it('reads cleanly in e-mails: code spans rather than backslash escapes where both are safe', async () => {
    const p = plan(
      config('{ prune: true, keep: [] }'),
      [collection(C, [['4917600000001@c.us', 'Jane *Doe* (work)']])],
      { allowMassDelete: true },
    );
    const md = renderMarkdown(p);
    expect(md).toContain('- delete contact `4917600000001@c.us` (`Jane *Doe* (work)`): `not kept (prune: true)`');
    expect(md).not.toContain('\\(');
    const html = await marked.parse(md);
    expect(html).not.toContain('<em>Doe</em>');
  });

  it('grows in proportion to the plan: 10x the removals, about 10x the document (nothing repeated per collection)', () => {
    const small = renderMarkdown(bigPlanOf(2_000));
    const large = renderMarkdown(bigPlanOf(20_000));
    expect(large.length / small.length).toBeGreaterThan(8);
    expect(large.length / small.length).toBeLessThan(12);
  });
});

function bigPlanOf(n: number): Plan {
  const items = Array.from({ length: n }, (_, i): [string, string] => [
    `49176${String(i).padStart(8, '0')}@c.us`,
    `P ${i}`,
  ]);
  return plan(config('{ prune: true, keep: [] }'), [collection(C, items)], { allowMassDelete: true });
}
