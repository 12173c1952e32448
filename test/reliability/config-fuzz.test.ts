import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { SourceError } from '../../src/shared/source-error.js';
import { ROOT } from '../helpers/cli.js';
import { prng } from '../helpers/prng.js';
import { EXAMPLE_ENV } from '../helpers/world.js';

const FULL = process.env['RELIABILITY_FULL'] === '1';
const CASES = FULL ? 100_000 : 10_000;

const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml') && f !== 'emulator-state.yaml')
  .map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8'));
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ': ',
  '- ',
  '#',
  '&a ',
  '*a',
  '!!str ',
  '${',
  '${X}',
  '${GREEN_API_PARTNER_TOKEN}',
  '"',
  "'",
  '\t',
  '\n',
  '  ',
  '---\n',
  '...',
  '%YAML 1.2\n',
  '?',
  '|',
  '>',
  '\u0000',
  '\ufeff',
  'é',
  '𝕏',
  'prune: true',
  'keep: [',
  'remove:',
  'protect: [*]',
  'version: 2',
  'safety: {maxDeletePercent: 101}',
  'allowLastAdminLeave: true',
  '1e99',
  '-1',
  'null',
  '~',
  '<<: *a',
];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.3) s = s.slice(0, at) + pick(TOKENS) + s.slice(at);
    else if (op < 0.5) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 20));
    else if (op < 0.65) {
      const lines = s.split('\n');
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? '');
      s = lines.join('\n');
    } else if (op < 0.8) {
      const lines = s.split('\n');
      lines.splice(Math.floor(r() * lines.length), 1);
      s = lines.join('\n');
    } else if (op < 0.9) s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x2fff)) + s.slice(at + 1);
    else s = s.replace(/ {2}/g, pick([' ', '   ', '\t', '  ']));
  }
  return s;
}

function randomYaml(r: () => number): string {
  const parts: string[] = [];
  const len = Math.floor(r() * 30);
  for (let i = 0; i < len; i++)
    parts.push(TOKENS[Math.floor(r() * TOKENS.length)]!, r() < 0.3 ? 'green-api' : r() < 0.5 ? 'x' : '');
  return parts.join('');
}

describe('config loader fuzzing', () => {
  it(
    `survives ${CASES} random and mutated files: no crash, no hang, every rejection at file:line:col`,
    () => {
      const r = prng(20261125);
      let accepted = 0;
      let rejected = 0;
      let slowest = 0;
      for (let i = 0; i < CASES; i++) {
        const text = r() < 0.85 ? mutate(examples[i % examples.length]!, r) : randomYaml(r);
        const t0 = performance.now();
        try {
          parseDesired(`case-${i}.yaml`, text, { env: EXAMPLE_ENV });
          accepted++;
        } catch (err) {
          if (!(err instanceof SourceError))
            throw new Error(`case ${i} threw ${String(err)} for ${JSON.stringify(text.slice(0, 300))}`);
          expect(err.problems.length).toBeGreaterThan(0);
          for (const p of err.problems) {
            expect(p.file).toBe(`case-${i}.yaml`);
            expect(p.line).toBeGreaterThanOrEqual(1);
            expect(p.col).toBeGreaterThanOrEqual(1);
            expect(p.message.length).toBeGreaterThan(0);
            for (const secret of Object.values(EXAMPLE_ENV)) expect(p.message).not.toContain(secret);
          }
          rejected++;
        }
        slowest = Math.max(slowest, performance.now() - t0);
      }
      expect(accepted + rejected).toBe(CASES);
      // Both outcomes occur: the mutations are neither all harmless nor all fatal.
      expect(accepted).toBeGreaterThan(CASES / 50);
      expect(rejected).toBeGreaterThan(CASES / 2);
      // A hang detector, not a speed check: generous enough for a busy 2-core machine.
      expect(slowest).toBeLessThan(20_000);
      console.log(
        `config fuzz: ${CASES} cases, ${accepted} accepted, ${rejected} rejected with positions, slowest ${slowest.toFixed(1)} ms`,
      );
    },
    FULL ? 900_000 : 120_000,
  );
});
