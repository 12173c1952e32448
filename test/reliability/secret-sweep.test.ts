import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, ROOT, runCliInProcess as runInDir } from '../helpers/cli.js';
import { emulator, exampleState } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';

/** Recognisable credentials: if any of them shows up anywhere, the sweep fails. */
const TOKENS = {
  GREEN_API_PARTNER_TOKEN: 'SWEEP-PARTNER-9f2c41',
  GREEN_API_TOKEN_1101000001: 'SWEEP-INSTANCE-1-77ab90',
  WABOTIFY_API_KEY: 'SWEEP-WABOTIFY-41d0e2',
  TWOCHAT_API_KEY: 'SWEEP-TWOCHAT-c3e9f1',
};
const LEARNT = ['SWEEP-INSTANCE-2-5b5b5b', 'SWEEP-INSTANCE-3-6c6c6c']; // only the partner listing has these
const WRONG = 'SWEEP-WRONG-TOKEN-0d0d0d';

function sweptState() {
  const state = exampleState();
  const g = state['green-api']!;
  g.partners![0]!.token = TOKENS.GREEN_API_PARTNER_TOKEN;
  g.instances![0]!.apiTokenInstance = TOKENS.GREEN_API_TOKEN_1101000001;
  g.instances![1]!.apiTokenInstance = LEARNT[0]!;
  g.instances![2]!.apiTokenInstance = LEARNT[1]!;
  state.wabotify!.workspaces![0]!.apiKey = TOKENS.WABOTIFY_API_KEY;
  state['2chat']!.accounts![0]!.apiKey = TOKENS.TWOCHAT_API_KEY;
  return state;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secret sweep over the whole CLI surface', () => {
  it('no token appears in anything printed or written, on success or error, verbose included', async () => {
    const emu = await emulator({ state: sweptState() });
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-sweep-'));
    const config = join(dir, 'chatstate.yaml');
    writeFileSync(config, readFileSync(join(ROOT, 'examples', 'chatstate.yaml')));
    const env = { ...TOKENS, GREEN_API_URL: emu.url, WABOTIFY_URL: emu.url, TWOCHAT_URL: `${emu.url}/open` };
    const at = ['--now', '2026-11-25T12:00:00Z'];
    const runs: CliResult[] = [];
    const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const r = await runInDir(args, { env: { ...env, ...extraEnv }, cwd: dir });
      runs.push(r);
      return r;
    };
    // A saved plan is applied in-process, with the real clock five minutes after the plan (expiry is
    // judged by the real clock, not by --now).
    const applySaved = async (args: string[]) => {
      const r = await runCliInProcess(['apply', join(dir, 'plan.json'), ...args], env, {
        clock: () => new Date('2026-11-25T12:05:00Z'),
      });
      runs.push(r);
      return r;
    };
    await run(['validate', '-f', config]);
    await run(['validate', '-f', config, '--format', 'json']);
    for (const format of ['text', 'markdown', 'json'])
      await run(['plan', '-f', config, '--format', format, '--verbose', ...at]);
    expect((await run(['plan', '-f', config, '--save', 'plan.json', '--verbose', ...at])).code).toBe(0);
    expect((await applySaved(['--dry-run', '--verbose', ...at])).code).toBe(0);
    await applySaved(['--dry-run', '--output', 'json', ...at]);
    await run(['export', '-f', config, '--diff', '--verbose']);
    await run(['export', '-f', config, '-o', 'exported.yaml', '--verbose']);
    // Errors: a wrong token, a refused plan, a changed config.
    expect(
      (
        await run(['plan', '-f', config, '--verbose', ...at], {
          GREEN_API_TOKEN_1101000001: WRONG,
          WABOTIFY_API_KEY: WRONG,
          TWOCHAT_API_KEY: WRONG,
        })
      ).code,
    ).toBe(1);
    expect((await run(['apply', '-f', config, '--verbose', ...at], { GREEN_API_PARTNER_TOKEN: WRONG })).code).toBe(1);
    // A --target that matches nothing is an error (issue 15): its message names the pattern, never a token.
    expect((await run(['plan', '-f', config, '--allow-mass-delete', '--target', 'nothing', ...at])).code).toBe(1);
    expect((await applySaved(['--verbose', '--journal', join(dir, 'journal.jsonl'), ...at])).code).toBe(0);
    writeFileSync(config, `${readFileSync(config, 'utf8')}\n# changed\n`);
    expect((await applySaved([...at])).code).toBe(3);

    const written = filesUnder(dir).map((f) => readFileSync(f, 'utf8'));
    expect(written.length).toBeGreaterThanOrEqual(4); // config, plan.json, exported.yaml, journal.jsonl
    const everything = [...runs.flatMap((r) => [r.stdout, r.stderr]), ...written].join('\n');
    expect(everything).toContain('/waInstance1101000001/getContacts/***'); // verbose logs really ran
    for (const token of [...Object.values(TOKENS), ...LEARNT, WRONG]) expect(everything, token).not.toContain(token);
  });
});
