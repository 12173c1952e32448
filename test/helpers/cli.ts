import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a separate process (the way users and pipelines run it). */
export function runCliProcess(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env['PATH'], NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs one CLI invocation in this process (`runCli`, what the binary runs) with a captured io: the
 * same commands, flags, exit codes and output as `runCliProcess`, without starting node. `cwd` is
 * entered for the run (the test pool runs files in child processes, where chdir is allowed); `input`
 * is standard input (not a terminal). Tests of what needs a real process (signals, a closed pipe, a
 * terminal, the built binary) use `runCliProcess`.
 */
export async function runCliInProcess(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {},
): Promise<CliResult> {
  const { runCliInProcess: run } = await import('./io.js');
  const { PassThrough } = await import('node:stream');
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const before = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    return await run(args, options.env ?? {}, { stdin });
  } finally {
    if (options.cwd) process.chdir(before);
  }
}
