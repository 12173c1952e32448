import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { invocations, resolveExtends, unknownInvocations } from '../helpers/ci.js';
import { ROOT, runCliInProcess, runCliProcess } from '../helpers/cli.js';

const GITHUB = join(ROOT, 'examples', 'gitops', 'github-actions.yml');
const DRIFT = join(ROOT, 'examples', 'gitops', 'github-drift.yml');
const GITLAB = join(ROOT, 'examples', 'gitops', 'gitlab-ci.yml');
const GITLAB_TEMPLATE = join(ROOT, 'examples', 'gitops', 'gitlab-template.yml');

/** The GitLab pipeline as GitLab sees it: the included template (a pinned copy of this one) plus the file, extends resolved. */
function gitlabPipeline(): Record<string, unknown> {
  return resolveExtends({
    ...(parse(readFileSync(GITLAB_TEMPLATE, 'utf8')) as object),
    ...(parse(readFileSync(GITLAB, 'utf8')) as object),
  });
}

function checkAgainstCli(file: string, doc: unknown = parse(readFileSync(file, 'utf8'))): number {
  const { checked, unknown } = unknownInvocations(doc);
  expect(unknown, file).toEqual([]);
  return checked;
}

describe('CI examples', () => {
  it.each([[GITHUB], [DRIFT]])("%s passes GitHub's own workflow parser and schema", (file) => {
    const result = parseWorkflow(
      { name: 'workflow.yml', content: readFileSync(file, 'utf8') },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it('the parser would catch a broken workflow (the check can fail)', () => {
    const broken = readFileSync(GITHUB, 'utf8').replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest');
    expect(
      parseWorkflow({ name: 'x.yml', content: broken }, new NoOperationTraceWriter()).context.errors.getErrors().length,
    ).toBeGreaterThan(0);
  });

  it.each([[GITHUB], [DRIFT]])('%s runs only commands and flags the CLI has', (file) => {
    expect(checkAgainstCli(file)).toBeGreaterThanOrEqual(file === DRIFT ? 1 : 5);
  });

  it('the GitLab pipeline (with its template) runs only commands and flags the CLI has', () => {
    expect(checkAgainstCli(GITLAB, gitlabPipeline())).toBeGreaterThanOrEqual(6);
  });

  it('the flag check can fail: an unknown flag or command is reported', () => {
    expect(unknownInvocations({ run: 'chatstate plan --no-such-flag\nchatstate frobnicate' }).unknown).toEqual([
      'chatstate plan --no-such-flag',
      'chatstate frobnicate',
    ]);
    expect(
      unknownInvocations({ steps: [{ uses: 'OWNER/chatstate@v1', with: { args: 'apply --nope' } }] }).unknown,
    ).toEqual(['chatstate apply --nope']);
  });

  it('the GitLab pipeline parses, has plan and apply stages, and keeps the plan as an artifact', () => {
    const doc = gitlabPipeline() as Record<string, { stage?: string; artifacts?: { paths?: string[] } }>;
    expect(doc['chatstate-plan']?.stage).toBe('plan');
    expect(doc['chatstate-apply']?.stage).toBe('apply');
    expect(doc['chatstate-plan']?.artifacts?.paths).toContain('plan.json');
    expect(doc['chatstate-drift']?.stage).toBe('plan');
  });

  it('the invocation parser finds flags (so the flag check is real)', () => {
    expect(invocations(['chatstate plan -f c.yaml --format markdown --save plan.json > plan.md || code=$?'])).toEqual([
      ['plan', ['-f', '--format', '--save']],
    ]);
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
    expect(JSON.parse(r.stdout)).toMatchObject({ formatVersion: 2 });
    const v = await runCliInProcess(['validate', '--skip-env'], {
      env: { CHATSTATE_CONFIG: 'examples/chatstate.yaml', CHATSTATE_OUTPUT: 'json' },
    });
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, file: 'examples/chatstate.yaml' });
    const f = await runCliInProcess(['fmt', '--check', '--output', 'json', 'examples/chatstate.yaml']);
    expect(JSON.parse(f.stdout)).toEqual({
      files: [{ file: 'examples/chatstate.yaml', canonical: true, rewritten: false }],
    });
  });

  it('help teaches: every command has a summary and examples', async () => {
    const help = await runCliInProcess(['--help']);
    for (const cmd of ['plan', 'apply', 'export', 'validate', 'fmt', 'demo', 'emulator', 'completion'])
      expect(help.stdout).toContain(cmd);
    for (const cmd of ['plan', 'apply', 'export', 'validate', 'fmt', 'completion'])
      expect((await runCliInProcess([cmd, '--help'])).stdout).toContain('Examples:');
  });
});
