import { marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { planActions } from '../../src/plan/plan.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { schemaValidator } from '../../src/shared/schema-validation.js';
import { collection, plan } from '../helpers/builders.js';
import { emulator } from '../helpers/emulator.js';
import { golden } from '../helpers/golden.js';
import { desiredFrom, EXAMPLE_NOW, exampleDesired, observeAll, testClient } from '../helpers/world.js';

let examplePlan: Plan;
let emulatorUrl = '';
beforeAll(async () => {
  const emu = await emulator();
  emulatorUrl = emu.url;
  const http = testClient();
  const desired = exampleDesired(emu.url, 'examples/chatstate.yaml');
  examplePlan = planActions(desired, await observeAll(desired, http), {
    now: EXAMPLE_NOW,
    validForMs: 24 * 3_600_000,
    targets: [],
    allowMassDelete: false,
    toolVersion: '0.0.0-test',
  });
  await http.close();
});

describe('renderers on the example world', () => {
  it('text', () => {
    const text = renderText(examplePlan, { colour: false });
    golden('example-plan.txt', text);
    expect(text).toMatch(
      /^Plan: 10 to delete \(4 restorable\), 2 groups to leave, 1 instance to delete \(after logout\) — 9 irreversible\.$/m,
    );
    expect(text).toContain('    - delete contact 79876543219@c.us ("spam-bot-1")  not kept (prune: true)');
  });

  it('text in colour only when asked', () => {
    expect(renderText(examplePlan, { colour: true })).toContain('\u001b[31m- delete contact 79876543219@c.us');
    expect(renderText(examplePlan, { colour: false })).not.toContain('\u001b[');
  });

  it('json, valid against schemas/plan.schema.json', () => {
    const json = renderJson(examplePlan);
    // The emulator's port changes from run to run; the endpoints the plan records carry it.
    golden('example-plan.json', json.replaceAll(emulatorUrl, 'http://127.0.0.1:EMULATOR'));
    const validate = schemaValidator('plan.schema.json');
    expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('markdown, which renders to HTML that reads right', async () => {
    const md = renderMarkdown(examplePlan);
    golden('example-plan.md', md);
    expect(md.split('\n')[0]).toBe('<!-- chatstate-plan: examples/chatstate.yaml -->');
    const html = await marked.parse(md);
    expect(html).toContain('<!-- chatstate-plan: examples/chatstate.yaml -->');
    expect(html).toContain('<table>');
    expect(html).toContain('<th>collection</th>');
    expect(html).toMatch(/<pre><code class="language-diff">[^]*-79876543219@c.us {2}spam-bot-1\n/);
    expect(html).toContain(
      '<strong>Plan: 10 to delete (4 restorable), 2 groups to leave, 1 instance to delete (after logout) — 9 irreversible.</strong>',
    );
  });
});

describe('markdown details', () => {
  const C = 'green-api.main/instance.1101000001/contacts';
  const config = (policy: string) =>
    desiredFrom(
      `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: ${policy}\n`,
      { T: 't' },
    );

  it('folds a long diff into <details>', () => {
    const items = Array.from({ length: 80 }, (_, i): [string] => [`79${String(i).padStart(9, '0')}@c.us`]);
    const md = renderMarkdown(
      plan(config('{ prune: true, keep: [] }'), [collection(C, items)], { allowMassDelete: true }),
    );
    expect(md).toContain('<details><summary>81 diff lines</summary>');
  });

  it('renders a collection of 200,000 removals in every format (no quadratic work, no argument-spread limits)', () => {
    const items = Array.from({ length: 200_000 }, (_, i): [string] => [`7${String(i).padStart(10, '0')}@c.us`]);
    const p = plan(config('{ prune: true, keep: [] }'), [collection(C, items)], { allowMassDelete: true });
    expect(p.actions).toHaveLength(200_000);
    expect(renderText(p, { colour: false })).toContain('Plan: 200000 to delete (200000 restorable).');
    const md = renderMarkdown(p);
    expect(md).toContain('<details><summary>200001 diff lines</summary>');
    expect(JSON.parse(renderJson(p)).actions).toHaveLength(200_000);
  });

  it('is short when there is nothing to do', () => {
    const md = renderMarkdown(plan(config('{ remove: [] }'), [collection(C, [['79000000001@c.us']])]));
    expect(md).toContain('**No changes. The accounts match the configuration.**');
    expect(md).not.toContain('<table>');
    expect(md).not.toContain('```diff');
  });

  it('renders hostile names inert: no markup, no HTML, no terminal escapes', async () => {
    const evil = '<img src=x onerror=alert(1)> **bold** \u001b[2J\u202e [link](http://evil)';
    const p = plan(
      config('{ prune: true, keep: [] }'),
      [
        collection(C, [
          ['79000000001@c.us', evil],
          ['79000000002@c.us', 'ok'],
        ]),
      ],
      { allowMassDelete: true },
    );
    const text = renderText(p, { colour: false });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('\\u{1b}');
    const html = await marked.parse(renderMarkdown({ ...p, warnings: [{ address: 'name', message: evil }] }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<strong>bold</strong>');
    expect(html).not.toContain('<a href');
  });
});
