import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/state.js';
import { ROOT, runCliInProcess } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { exampleEnv, TEST_TOKENS } from '../helpers/world.js';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });

describe('the GitOps loop', () => {
  it('export → commit → edit → plan --format markdown --save → apply PLANFILE → plan --detailed-exitcode is 0', async () => {
    const emu = await emulator();
    const env = { GREEN_API_URL: emu.url, GREEN_API_PARTNER_TOKEN: 'gac.partner-1' };
    const repo = mkdtempSync(join(tmpdir(), 'chatstate-gitops-'));
    git(repo, 'init', '-q', '-b', 'main');

    const exported = await runCliInProcess(
      ['export', '--provider', 'green-api', '--account', 'main', '-o', 'chatstate.yaml'],
      { env, cwd: repo },
    );
    expect(exported.code, exported.stderr).toBe(0);
    const config = readFileSync(join(repo, 'chatstate.yaml'), 'utf8');
    expect(config).toContain('token: ${GREEN_API_PARTNER_TOKEN}');
    expect(config).toContain('- 79876543219@c.us # spam-bot-1');
    for (const token of TEST_TOKENS) expect(config).not.toContain(token);
    expect((await runCliInProcess(['fmt', '--check', 'chatstate.yaml'], { cwd: repo })).code).toBe(0);
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { env, cwd: repo })).code).toBe(0);
    git(repo, 'add', 'chatstate.yaml');
    git(repo, 'commit', '-q', '-m', 'export what exists');

    // A pull request removes three contacts from keep.
    git(repo, 'checkout', '-q', '-b', 'remove-spam');
    const edited = config
      .split('\n')
      .filter((l) => !/- 7987654(3219|3220|3221)@c\.us/.test(l))
      .join('\n');
    writeFileSync(join(repo, 'chatstate.yaml'), edited);
    git(repo, 'commit', '-q', '-am', 'remove spam contacts');
    const plan = await runCliInProcess(['plan', '--format', 'markdown', '--save', 'plan.json', '--detailed-exitcode'], {
      env,
      cwd: repo,
    });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout.split('\n')[0]).toBe('<!-- chatstate-plan: chatstate.yaml -->');
    expect(plan.stdout).toContain('**Plan: 3 to delete (3 restorable).**');
    expect(plan.stdout).toMatch(
      /-79876543219@c\.us {2}spam-bot-1\n-79876543220@c\.us {2}spam-bot-2\n-79876543221@c\.us {2}Old Lead 2023\n/,
    );

    // Merged: apply exactly the reviewed plan.
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'merge', '-q', 'remove-spam');
    const apply = await runCliInProcess(['apply', 'plan.json'], { env, cwd: repo });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toBe('Apply complete: 3 deleted, 0 already absent, 0 failed.\n');
    const after = await runCliInProcess(['plan', '--detailed-exitcode'], { env, cwd: repo });
    expect(after.code, after.stdout).toBe(0);
    expect(
      readFileSync(join(repo, '.chatstate', 'journal.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l.includes('"event":"outcome"')),
    ).toHaveLength(3);
  });
});

describe('export', () => {
  it('refreshes the example: a plan right after export removes nothing the file does not name (issue 15)', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-export-'));
    const out = join(dir, 'chatstate.yaml');
    const r = await runCliInProcess(['export', '-f', join(ROOT, 'examples', 'chatstate.yaml'), '-o', out], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('green-api.main/instance.1101000001/contacts: 3 ids added to keep');
    const plan = await runCliInProcess(['plan', '-f', out, '--format', 'json', '--now', '2026-11-25T12:00:00Z'], {
      env,
    });
    expect(plan.code, plan.stderr).toBe(0);
    const reasons = (JSON.parse(plan.stdout) as { actions: { reason: string }[] }).actions.map((a) => a.reason);
    expect(reasons).not.toContain('not kept (prune: true)');
    expect(readFileSync(out, 'utf8')).toContain('apiUrl: ${GREEN_API_URL:-https://api.green-api.com}');
    expect(
      (await runCliInProcess(['export', '-f', join(ROOT, 'examples', 'chatstate.yaml'), '-o', out], { env })).stderr,
    ).toContain('exists; pass --force to overwrite it');
  });

  it('--diff shows how the file differs from what exists', async () => {
    const emu = await emulator();
    const r = await runCliInProcess(
      ['export', '-f', join(ROOT, 'examples', 'chatstate.yaml'), '--diff', '--provider', '2chat'],
      { env: exampleEnv(emu.url) },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+++ ');
    expect(r.stdout).toContain(
      '-    contacts: { prune: true, keep: [ { name: Augusto * }, { name: Beatriz * }, { name: Carlos * } ] }',
    );
    expect(r.stdout).toContain('CON5dbf28a9-0005');
    expect(r.stdout).not.toContain('-    numbers:');
  });

  it('round-trips a generated world of 10,000 contacts', async () => {
    const contacts = Array.from({ length: 10_000 }, (_, i) => ({
      id: `7${String(i).padStart(10, '0')}@c.us`,
      name: `Contact ${i}`,
    }));
    const state = {
      'green-api': {
        instances: [
          {
            idInstance: 1400000001,
            apiTokenInstance: 'tok-big',
            name: 'big',
            state: 'authorized',
            wid: '79990000009@c.us',
            contacts,
            groups: [],
          },
        ],
      },
    } as EmulatorState;
    const emu = await emulator({ state });
    const env = { GREEN_API_URL: emu.url, GREEN_API_INSTANCES: '1400000001', GREEN_API_TOKEN_1400000001: 'tok-big' };
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-export-'));
    const r = await runCliInProcess(['export', '--provider', 'green-api', '-o', 'chatstate.yaml'], { env, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'chatstate.yaml'), 'utf8').match(/@c\.us # Contact/g)).toHaveLength(10_000);
    const plan = await runCliInProcess(['plan', '--detailed-exitcode', '--format', 'json'], { env, cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    const counts = (
      JSON.parse(plan.stdout) as { collections: { counts: { observed: number; kept: number } }[] }
    ).collections.find((c) => c.counts.observed === 10_000)?.counts;
    expect(counts).toMatchObject({ observed: 10_000, kept: 10_000 });
  });
});
