import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type InProcessResult, runCliInProcess } from '../helpers/io.js';

export type Run = InProcessResult;

/**
 * Runs one CLI invocation in this process (`runCliInProcess`: same code path as the binary, minus
 * process.exit). `stdinTty` is typed on a terminal stdin shortly after the start, for prompts.
 */
export async function cli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  options: { stdinTty?: string } = {},
): Promise<Run> {
  const stdin = options.stdinTty !== undefined ? Object.assign(new PassThrough(), { isTTY: true }) : undefined;
  if (stdin) setTimeout(() => stdin.end(options.stdinTty), 50);
  // The real clock judges a saved plan's expiry; tests that fix the time with --now fix it there too.
  const at = argv.indexOf('--now');
  const clock = at >= 0 && argv[at + 1] ? { clock: () => new Date(argv[at + 1]!) } : {};
  return runCliInProcess(argv, env, { ...(stdin ? { stdin } : {}), ...clock });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'chatstate-honest-'));
}

export function writeConfig(dir: string, text: string, name = 'chatstate.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
