import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { virtualTimers } from '../helpers/virtual-time.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one CLI invocation in this process (same code path as the binary, minus process.exit). */
export async function cli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  options: { stdinTty?: string } = {},
): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = options.stdinTty !== undefined ? Object.assign(new PassThrough(), { isTTY: true }) : undefined;
  if (stdin) setTimeout(() => stdin.end(options.stdinTty), 50);
  // The real clock judges a saved plan's expiry; tests that fix the time with --now fix it there too.
  const at = argv.indexOf('--now');
  const clock = at >= 0 && argv[at + 1] ? { clock: () => new Date(argv[at + 1]!) } : {};
  const io: CliIo = {
    stdout,
    stderr,
    env: { NO_COLOR: '1', ...env },
    timers: virtualTimers(),
    ...(stdin ? { stdin } : {}),
    ...clock,
  };
  const result = await runCli(argv, io);
  const code = typeof result === 'number' ? result : -1;
  return { code, stdout: out, stderr: err };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'chatstate-honest-'));
}

export function writeConfig(dir: string, text: string, name = 'chatstate.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
