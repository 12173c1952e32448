import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run.js';
import { ROOT, runCliInProcess, runCliProcess } from '../helpers/cli.js';

const GITHUB = join(ROOT, 'examples', 'gitops', 'github-actions.yml');
const GITLAB = join(ROOT, 'examples', 'gitops', 'gitlab-ci.yml');

/** Every shell line of a workflow: GitHub `run:` steps, GitLab `script:` entries. */
function shellLines(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, key === 'script' || key === 'before_script' ? key : undefined));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
    else if (typeof node === 'string' && (key === 'run' || key === 'script' || key === 'before_script')) out.push(...node.split('\n'));
  };
  walk(doc);
  return out;
}

/** `chatstate SUB --flag …` invocations in shell lines, as [subcommand, flags]. */
function invocations(lines: string[]): [string, string[]][] {
  return lines.flatMap((l) => [...l.matchAll(/\bchatstate ([a-z]+)((?: +[^|;&>]+?)*)(?=$|[|;&>])/g)].map((m): [string, string[]] => [m[1]!, (m[2] ?? '').split(/\s+/).filter((w) => w.startsWith('-'))]));
}

function program(): Command {
  const sink = new PassThrough();
  return buildProgram({ stdout: sink, stderr: sink, env: {} }, () => undefined, () => undefined);
}

function checkAgainstCli(file: string): number {
  const cli = program();
  const calls = invocations(shellLines(parse(readFileSync(file, 'utf8'))));
  for (const [sub, flags] of calls) {
    const cmd = cli.commands.find((c) => c.name() === sub);
    expect(cmd, `${file}: chatstate ${sub}`).toBeDefined();
    for (const flag of flags) expect(cmd!.options.some((o) => o.long === flag || o.short === flag), `${file}: chatstate ${sub} ${flag}`).toBe(true);
  }
  return calls.length;
}

describe('CI examples', () => {
  it('the GitHub Actions workflow passes GitHub\'s own workflow parser and schema', () => {
    const result = parseWorkflow({ name: 'github-actions.yml', content: readFileSync(GITHUB, 'utf8') }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it('the parser would catch a broken workflow (the check can fail)', () => {
    const broken = readFileSync(GITHUB, 'utf8').replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest');
    expect(parseWorkflow({ name: 'x.yml', content: broken }, new NoOperationTraceWriter()).context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it.each([[GITHUB], [GITLAB]])('%s runs only commands and flags the CLI has', (file) => {
    expect(checkAgainstCli(file)).toBeGreaterThanOrEqual(4);
  });

  it('the GitLab pipeline parses, has plan and apply stages, and keeps the plan as an artifact', () => {
    const doc = parse(readFileSync(GITLAB, 'utf8')) as Record<string, { stage?: string; artifacts?: { paths?: string[] } }>;
    expect(doc['chatstate-plan']?.stage).toBe('plan');
    expect(doc['chatstate-apply']?.stage).toBe('apply');
    expect(doc['chatstate-plan']?.artifacts?.paths).toContain('plan.json');
  });

  it('the invocation parser finds flags (so the flag check is real)', () => {
    expect(invocations(['chatstate plan -f c.yaml --format markdown --save plan.json > plan.md || code=$?'])).toEqual([['plan', ['-f', '--format', '--save']]]);
  });
});

describe('CLI polish for pipelines', () => {
  it('completion scripts for bash and zsh', async () => {
    const bash = await runCliInProcess(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -F _chatstate chatstate');
    expect(bash.stdout).toContain('--detailed-exitcode');
    execFileSync('bash', ['-n'], { input: bash.stdout });
    const zsh = await runCliInProcess(['completion', 'zsh']);
    expect(zsh.stdout.startsWith('#compdef chatstate')).toBe(true);
    expect((await runCliInProcess(['completion', 'fish'])).code).toBe(1);
  });

  it('--version prints the package version', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect((await runCliProcess(['--version'])).stdout.trim()).toBe(version); // a smoke test of the built binary
  });

  it('CHATSTATE_* variables set flags; --quiet silences stderr; --output json for machines', async () => {
    const r = await runCliInProcess(['demo', '--output', 'json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ formatVersion: 1 });
    const v = await runCliInProcess(['validate', '--skip-env'], { env: { CHATSTATE_CONFIG: 'examples/chatstate.yaml', CHATSTATE_OUTPUT: 'json' } });
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, file: 'examples/chatstate.yaml' });
    const f = await runCliInProcess(['fmt', '--check', '--output', 'json', 'examples/chatstate.yaml']);
    expect(JSON.parse(f.stdout)).toEqual({ files: [{ file: 'examples/chatstate.yaml', canonical: true, rewritten: false }] });
  });

  it('help teaches: every command has a summary and examples', async () => {
    const help = await runCliInProcess(['--help']);
    for (const cmd of ['plan', 'apply', 'export', 'validate', 'fmt', 'demo', 'emulator', 'completion']) expect(help.stdout).toContain(cmd);
    for (const cmd of ['plan', 'apply', 'export', 'validate', 'fmt', 'completion']) expect((await runCliInProcess([cmd, '--help'])).stdout).toContain('Examples:');
  });
});
