import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { expectedAfter, worldAddresses } from '../helpers/snapshot.js';
import { exampleEnv } from '../helpers/world.js';

/** util-linux `script` gives the CLI a real pseudo-terminal, as a person at a keyboard has. */
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs `chatstate apply` on a terminal and types `answer` once the prompt shows. */
function applyOnTerminal(
  env: Record<string, string>,
  answer: string,
): Promise<{ code: number | null; output: string }> {
  const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-tty-')), 'journal.jsonl');
  const cmd = `${process.execPath} ${CLI} apply -f ${join(ROOT, 'examples', 'chatstate.yaml')} --now 2026-11-25T12:00:00Z --journal ${journal}`;
  const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], TERM: 'dumb', NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = false;
  const onData = (d: Buffer) => {
    output += d.toString();
    if (!answered && output.includes('Only "yes" is accepted')) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe.skipIf(!hasScript)('apply on a terminal', () => {
  it('asks, and anything but "yes" applies nothing and exits 1 "Apply cancelled" (issue 15)', async () => {
    const emu = await emulator();
    const before = worldAddresses(emu);
    const r = await applyOnTerminal(exampleEnv(emu.url), 'y');
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain('Apply 14 actions? Only "yes" is accepted:');
    expect(r.output).toContain('Apply cancelled');
    expect(worldAddresses(emu)).toEqual(before);
    expect(emu.requests().filter((q) => q.method !== 'GET' && q.operation !== 'getGroupData')).toEqual([]);
  });

  it('"yes" applies, with a live progress line', async () => {
    const emu = await emulator();
    const before = worldAddresses(emu);
    const r = await applyOnTerminal(exampleEnv(emu.url), 'yes');
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/\r\u001b\[2Kapplying: 14\/14 {2}[\d.]+\/s {2}ETA 0s {2}0 failed/);
    expect(r.output).toContain('Apply complete: 13 deleted, 0 already absent, 0 failed');
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
  });

  it('colour on a terminal, never with NO_COLOR', async () => {
    const emu = await emulator();
    const plan = (extra: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const cmd = `${process.execPath} ${CLI} plan -f ${join(ROOT, 'examples', 'chatstate.yaml')} --now 2026-11-25T12:00:00Z`;
        const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
          cwd: ROOT,
          env: { PATH: process.env['PATH'], TERM: 'xterm', ...exampleEnv(emu.url), ...extra },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', () => resolve(out));
      });
    expect(await plan({})).toContain('\u001b[31m- delete contact 79876543219@c.us');
    expect(await plan({ NO_COLOR: '1' })).not.toContain('\u001b[31m');
  });
});
