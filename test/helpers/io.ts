import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { virtualTimers } from './virtual-time.js';

/**
 * A CliIo that keeps what the command prints; no terminal, no colour, no stdin unless given. Request
 * pacing runs on virtual time (./virtual-time.ts) unless `extra.timers` says otherwise.
 */
interface CapturedIo {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
}

function sink(chunks: string[]): Writable & { isTTY?: boolean } {
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
}

function captureIo(env: Record<string, string | undefined> = {}, extra: Partial<CliIo> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = {
    stdout: sink(out),
    stderr: sink(err),
    env: { NO_COLOR: '1', ...env },
    stdin,
    timers: virtualTimers(),
    ...extra,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

let running = false;

/**
 * Runs one CLI invocation in this process through `runCli` (what `dist/cli/main.js` runs), with a
 * captured io: the same commands, flags, exit codes and output as a process, without a node start-up.
 * The environment is exactly `env` (plus PATH and NO_COLOR), as for `runCliProcess`: commander reads
 * `CHATSTATE_*` flags from `process.env`, so it is swapped for the run (runs in one file are sequential).
 */
export async function runCliInProcess(
  argv: string[],
  env: Record<string, string | undefined> = {},
  extra: Partial<CliIo> = {},
): Promise<InProcessResult> {
  if (running) throw new Error('runCliInProcess: one run at a time (it swaps process.env)');
  running = true;
  const saved = process.env;
  const runEnv: NodeJS.ProcessEnv = { PATH: saved['PATH'], NO_COLOR: '1' };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) runEnv[k] = v;
  process.env = runEnv;
  try {
    const c = captureIo(runEnv, extra);
    const result = await runCli(argv, c.io);
    if (typeof result !== 'number') {
      await result.stop();
      throw new Error(`${argv.join(' ')} kept running; in-process runs are for commands that end`);
    }
    return { code: result, stdout: c.stdout(), stderr: c.stderr() };
  } finally {
    process.env = saved;
    running = false;
  }
}
