import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI, ROOT, runCliInProcess } from './cli.js';

export const EXAMPLE_CONFIG = join(ROOT, 'examples', 'chatstate.yaml');
/** The example world's clock, for the hidden `--now`. */
export const AT = ['--now', '2026-11-25T12:00:00Z'];

/** Lines in an apply journal (a `sending` and an `outcome` line per request). */
export const journalLines = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0;

export interface RunningApply {
  readonly child: ChildProcess;
  stdout(): string;
  readonly exit: Promise<number | null>;
}

/**
 * Starts `apply --auto-approve` of the example as a real process (what a signal test needs) and
 * resolves once its journal has `lines` lines. Rejects if it ends first.
 */
export function startApply(env: Record<string, string>, journal: string, lines: number): Promise<RunningApply> {
  const child = spawn(
    process.execPath,
    [CLI, 'apply', '-f', EXAMPLE_CONFIG, '--auto-approve', '--journal', journal, ...AT],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'], NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.resume();
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (journalLines(journal) >= lines) {
        clearInterval(timer);
        resolve({ child, stdout: () => out, exit });
      }
    }, 10);
    void exit.then(() => {
      clearInterval(timer);
      reject(new Error('apply finished before it could be interrupted'));
    });
  });
}

/**
 * Runs `apply --auto-approve` of the example until a plan has no changes (in-process: what follows a
 * crash needs no process of its own); returns how many applies it took.
 */
export async function converge(env: Record<string, string>, journal: string, maxRuns: number): Promise<number> {
  for (let run = 1; run <= maxRuns; run++) {
    const r = await runCliInProcess(['apply', '-f', EXAMPLE_CONFIG, '--auto-approve', '--journal', journal, ...AT], {
      env,
    });
    expect([0, 1], r.stderr).toContain(r.code);
    const check = await runCliInProcess(['plan', '-f', EXAMPLE_CONFIG, '--detailed-exitcode', ...AT], { env });
    if (check.code === 0) return run;
  }
  throw new Error(`did not converge in ${maxRuns} runs`);
}
