import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';

/** Line and column (1-based) of `offset` in `text`. */
function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

describe('config positions (one walk of the document)', () => {
  it('reports the exact line:col of every keep entry of a generated config, in every style', () => {
    const lines = ['version: 1', 'green-api:', '  main:', '    instances:'];
    const expected: { instance: number; index: number; marker: string }[] = [];
    const INSTANCES = 60;
    const KEPT = 40;
    for (let i = 0; i < INSTANCES; i++) {
      const id = 1101000001 + i;
      const ids = Array.from(
        { length: KEPT },
        (_, j) => `7${String(i).padStart(4, '0')}${String(j).padStart(6, '0')}@c.us`,
      );
      lines.push(`      ${id}:`, '        token: ${T}');
      const style = i % 3;
      if (style === 0) {
        lines.push(`        contacts: { prune: true, keep: [${ids.join(', ')}] }`);
        ids.forEach((x, j) => expected.push({ instance: id, index: j, marker: x }));
      } else if (style === 1) {
        lines.push('        contacts:', '          prune: true', '          keep:');
        ids.forEach((x, j) => {
          // Quoted, an object with an id, or a name glob; comments between entries.
          const text = j % 4 === 0 ? `{ id: "${x}" }` : j % 4 === 1 ? `{ name: "Team ${i}-${j} *" }` : `"${x}"`;
          lines.push(`            - ${text}`, `            # after ${j}`);
          expected.push({ instance: id, index: j, marker: text });
        });
      } else {
        lines.push('        contacts:', '          prune: true', '          keep:');
        ids.forEach((x, j) => {
          lines.push(`          - ${x}   # contact ${j}`);
          expected.push({ instance: id, index: j, marker: x });
        });
      }
    }
    const text = `${lines.join('\n')}\n`;
    const desired = parseDesired('gen.yaml', text, { env: { T: 'token' } });
    const account = desired.accounts[0];
    if (account?.provider !== 'green-api') throw new Error('expected a green-api account');
    const byId = new Map(account.instances.map((inst) => [inst.id, inst]));
    let checked = 0;
    let from = 0;
    for (const e of expected) {
      // Every marker is unique and written in file order.
      const offset = text.indexOf(e.marker, from);
      expect(offset).toBeGreaterThanOrEqual(0);
      from = offset + 1;
      const entry = byId.get(e.instance)?.contacts?.keep[e.index];
      expect(entry?.at, `${e.instance} keep[${e.index}]`).toEqual(position(text, offset));
      checked++;
    }
    expect(checked).toBe(INSTANCES * KEPT);
  });

  it('still matches globs and names by regular expression (compiled when first read)', () => {
    const text =
      'version: 1\ngreen-api:\n  main:\n    instances:\n      1101000001:\n        token: ${T}\n        contacts: { prune: true, keep: ["7900*", {name: "Team *"}, "79001112233@c.us"] }\n';
    const desired = parseDesired('g.yaml', text, { env: { T: 'token' } });
    const account = desired.accounts[0];
    if (account?.provider !== 'green-api') throw new Error('expected a green-api account');
    const [glob, name, exact] = account.instances[0]?.contacts?.keep ?? [];
    expect(glob?.regex.test('79001234567@c.us')).toBe(true);
    expect(name?.regex.test('Team Vera')).toBe(true);
    expect(exact?.exact).toBe(true);
    expect(exact?.regex.test('79001112233@c.us')).toBe(true);
    expect(exact?.regex.test('79001112234@c.us')).toBe(false);
    // Spreading an entry keeps its fields and does not carry a compiled expression along.
    expect(Object.keys({ ...exact })).not.toContain('regex');
  });
});
