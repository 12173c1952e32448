import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_HELP, OUT_HELP } from '../../src/cli/options.js';
import { readPlanFile } from '../../src/engine/plan-file.js';
import { schemaValidator } from '../../src/shared/schema-validation.js';
import { emulator } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';
import { exampleEnv } from '../helpers/world.js';

const NOW = ['--now', '2026-11-25T12:00:00Z'];

/** The help text of one option, on one line (commander wraps it). */
function optionHelp(help: string, flag: string): string | undefined {
  const lines = help.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(flag));
  if (i < 0) return undefined;
  const parts = [lines[i]!.trim().slice(flag.length)];
  for (let j = i + 1; j < lines.length && /^ {20,}\S/.test(lines[j]!); j++) parts.push(lines[j]!.trim());
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

describe('one set of flags', () => {
  it.each(['plan', 'apply', 'validate', 'export'])(
    '%s --help shows --format and -o, --out with the shared meaning',
    async (command) => {
      const r = await runCliInProcess([command, '--help']);
      expect(r.code).toBe(0);
      expect(optionHelp(r.stdout, '-o, --out <file>')).toBe(OUT_HELP);
      expect(optionHelp(r.stdout, '--format <format>')?.startsWith(`${FORMAT_HELP}: `)).toBe(true);
      expect(r.stdout).not.toMatch(/--output <file>/);
    },
  );

  it('the shared options read the same on every command that has them', async () => {
    const seen = new Map<string, Set<string>>();
    for (const command of ['plan', 'apply', 'validate', 'export', 'demo']) {
      const help = (await runCliInProcess([command, '--help'])).stdout;
      for (const flag of ['-f, --file <file>', '-v, --verbose', '-q, --quiet', '--no-color', '-o, --out <file>']) {
        const text = optionHelp(help, flag);
        if (text !== undefined) seen.set(flag, (seen.get(flag) ?? new Set()).add(text));
      }
    }
    for (const [flag, texts] of seen) expect([...texts], flag).toHaveLength(1);
    expect(seen.get('-q, --quiet')?.size).toBe(1);
  });

  it('--output is an alias of --format, never a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-flags-'));
    const r = await runCliInProcess(['export', '--provider', '2chat', '--output', join(dir, 'x.yaml')], {
      TWOCHAT_API_KEY: 'k',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`argument '${join(dir, 'x.yaml')}' is invalid`);
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
    const v = await runCliInProcess(['validate', '--skip-env', '-f', 'examples/chatstate.yaml', '--output', 'json']);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true });
  });

  it('--concurrency is checked the same way on plan, apply and export', async () => {
    for (const command of ['plan', 'apply', 'export']) {
      const r = await runCliInProcess(
        [command, '-f', 'examples/chatstate.yaml', '--concurrency', '0'],
        exampleEnv('http://127.0.0.1:9'),
      );
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toContain('--concurrency must be an integer from 1 to 256, got "0"');
    }
  });

  it('plan --format markdown -o comment.md writes the Markdown it says; --save writes the plan file', async () => {
    const emu = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-flags-'));
    const comment = join(dir, 'comment.md');
    const planFile = join(dir, 'plan.json');
    const r = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--format', 'markdown', '-o', comment, '--save', planFile, ...NOW],
      exampleEnv(emu.url),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const markdown = readFileSync(comment, 'utf8');
    expect(markdown.split('\n')[0]).toBe('<!-- chatstate-plan: examples/chatstate.yaml -->');
    expect(() => JSON.parse(markdown)).toThrow();
    // Read back, the compact file is the plan of plan.schema.json (as JSON: decisions as rows).
    expect(schemaValidator('plan.schema.json')(JSON.parse(JSON.stringify(readPlanFile(planFile))))).toBe(true);
  });

  it('validate -o FILE writes the report there, not on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-flags-'));
    const out = join(dir, 'report.json');
    const r = await runCliInProcess([
      'validate',
      '--skip-env',
      '-f',
      'examples/chatstate.yaml',
      '--format',
      'json',
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ valid: true, file: 'examples/chatstate.yaml' });
  });
});
