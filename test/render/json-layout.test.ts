import { describe, expect, it } from 'vitest';
import { INDENT_ALL_UP_TO, jsonChunks, jsonDocument, jsonLayout, renderJson } from '../../src/render/json.js';
import { MASK, maskJson } from '../../src/render/mask.js';
import { schemaValidator } from '../../src/shared/schema-validation.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const G = 'green-api.main/instance.1101000001/groups';
const config = desiredFrom(
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [{name: "Team *"}, 79000000003@c.us] }\n        groups: { remove: [1-2@g.us] }\n`,
  { T: 't' },
);
const contacts = (n: number) =>
  Array.from({ length: n }, (_, i): [string, string] => [
    `79${String(i).padStart(9, '0')}@c.us`,
    i % 7 === 0 ? `Team "${i}"\n<b>` : `Person ${i}`,
  ]);
const planOf = (n: number) =>
  plan(config, [collection(C, contacts(n)), collection(G, [['1-2@g.us', 'Old group']])], { allowMassDelete: true });

describe('plan JSON: indented when small, one record per line when large, the same document either way', () => {
  it('a small plan is exactly JSON.stringify(plan, null, 2), masked or not', () => {
    const p = planOf(40);
    expect(jsonLayout(p)).toBe('indented');
    expect(renderJson(p)).toBe(`${JSON.stringify(jsonDocument(p), null, 2)}\n`);
    expect(renderJson(p, MASK)).toBe(
      `${JSON.stringify(maskJson(JSON.parse(JSON.stringify(jsonDocument(p))), MASK), null, 2)}\n`,
    );
    expect(renderJson(p, MASK)).not.toContain('Person 1');
  });

  it('masks names of people, not the name of the tool that made the plan', () => {
    const masked = JSON.parse(renderJson(planOf(3), MASK));
    expect(masked.tool).toEqual({ name: 'chatstate', version: 'test' });
    expect(masked.collections[0].decisions[0].name).not.toBe('Person 0');
  });

  it('a large plan writes each decision and each action on one line, and parses to the same value', () => {
    const p = planOf(INDENT_ALL_UP_TO);
    expect(jsonLayout(p)).toBe('lines');
    const json = renderJson(p);
    const doc = jsonDocument(p);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(doc)));
    const lines = json.split('\n');
    const decisions = p.collections.reduce((n, c) => n + c.decisions.length, 0);
    expect(lines.filter((l) => l.startsWith('        {"id":'))).toHaveLength(decisions);
    expect(lines.filter((l) => l.startsWith('    {"address":'))).toHaveLength(p.actions.length);
    // Names with quotes and newlines stay inside their record's line.
    expect(lines).toContain(`        ${JSON.stringify(p.collections.find((c) => c.address === C)!.decisions.at(0))},`);
    // The structure around the records is still indented, and the document valid.
    expect(json.startsWith('{\n  "formatVersion": 2,\n  "tool": {\n    "name": "chatstate",')).toBe(true);
    expect(json.endsWith('\n  }\n}\n')).toBe(true);
    expect(lines.length).toBeLessThan(decisions + p.actions.length + 400);
    const validate = schemaValidator('plan.schema.json');
    expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true);
    // Masked: the same layout over the masked copy.
    const masked = renderJson(p, MASK);
    expect(JSON.parse(masked)).toEqual(JSON.parse(JSON.stringify(maskJson(JSON.parse(JSON.stringify(doc)), MASK))));
    expect(masked.split('\n').filter((l) => l.startsWith('    {"address":'))).toHaveLength(p.actions.length);
  });

  it('either layout of any plan parses to the plan; empty arrays and objects read as JSON.stringify writes them', () => {
    for (const n of [0, 1, 12]) {
      const doc = jsonDocument(planOf(n));
      const expected = JSON.parse(JSON.stringify(doc));
      expect(JSON.parse([...jsonChunks(doc, 'lines')].join(''))).toEqual(expected);
      expect([...jsonChunks(doc, 'indented')].join('')).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    }
    const bare = { collections: [], actions: [], nothing: undefined, empty: {}, list: [] };
    expect([...jsonChunks(bare, 'lines')].join('')).toBe(`${JSON.stringify(bare, null, 2)}\n`);
  });
});
