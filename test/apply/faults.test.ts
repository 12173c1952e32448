import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCliProcess } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { expectedAfter, worldAddresses } from '../helpers/snapshot.js';
import { exampleEnv } from '../helpers/world.js';

const CONFIG = join(ROOT, 'examples', 'chatstate.yaml');
const AT = ['--now', '2026-11-25T12:00:00Z'];

const journalLines = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0;

/** Re-runs `apply --auto-approve` until a plan has no changes; returns how many applies it took. */
async function converge(env: Record<string, string>, journal: string, maxRuns: number): Promise<number> {
  for (let run = 1; run <= maxRuns; run++) {
    const r = await runCliProcess(['apply', '-f', CONFIG, '--auto-approve', '--journal', journal, ...AT], { env });
    expect([0, 1], r.stderr).toContain(r.code);
    const check = await runCliProcess(['plan', '-f', CONFIG, '--detailed-exitcode', ...AT], { env });
    if (check.code === 0) return run;
  }
  throw new Error(`did not converge in ${maxRuns} runs`);
}

/** Starts `apply` as a child process and resolves once its journal has `lines` entries. */
function startApply(
  env: Record<string, string>,
  journal: string,
  lines: number,
): Promise<{ child: ReturnType<typeof spawn>; stdout: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'apply', '-f', CONFIG, '--auto-approve', '--journal', journal, ...AT], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.resume();
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (journalLines(journal) >= lines) {
        clearInterval(timer);
        resolve({ child, stdout: () => out, exit });
      }
    }, 20);
    void exit.then(() => {
      clearInterval(timer);
      reject(new Error('apply finished before it could be interrupted'));
    });
  });
}

describe('apply under faults', () => {
  it('converges under seeded 500/502s, dropped connections and 429s, deleting exactly what the plan listed', async () => {
    const emu = await emulator({ faults: { errorRate: 0.1, dropRate: 0.05, throttleRate: 0.05, seed: 42 } });
    const before = worldAddresses(emu);
    const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-faults-')), 'journal.jsonl');
    const runs = await converge(exampleEnv(emu.url), journal, 4);
    expect(runs).toBeLessThanOrEqual(4);
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
    const faults = emu.requests().filter((q) => q.fault);
    expect(faults.map((q) => q.fault)).toEqual(expect.arrayContaining(['error', 'drop', 'throttle']));
  });

  it('a process killed (SIGKILL) in the middle of an apply converges when started again', async () => {
    const emu = await emulator({ latencyMs: 30 });
    const env = exampleEnv(emu.url);
    const before = worldAddresses(emu);
    const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-kill-')), 'journal.jsonl');
    const running = await startApply(env, journal, 3);
    running.child.kill('SIGKILL');
    expect(await running.exit).toBe(null);
    const done = journalLines(journal);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(14);
    await converge(env, journal, 3);
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
  });

  it('SIGINT stops starting new actions, writes the journal, exits 130; running again converges', async () => {
    const emu = await emulator({ latencyMs: 30 });
    const env = exampleEnv(emu.url);
    const before = worldAddresses(emu);
    const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-int-')), 'journal.jsonl');
    const running = await startApply(env, journal, 2);
    running.child.kill('SIGINT');
    expect(await running.exit).toBe(130);
    expect(running.stdout()).toMatch(
      /^Apply interrupted: \d+ deleted, 0 already absent, 0 failed \(.*\d+ not started\)\. Run apply again to finish\.\n$/m,
    );
    const recorded = journalLines(journal);
    expect(recorded).toBeLessThan(14);
    await converge(env, journal, 3);
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
  });
});
