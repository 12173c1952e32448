import type { Readable, Writable } from 'node:stream';

/**
 * The terminal edge: stdout carries the product (plans, JSON), stderr carries logs and progress.
 * Commands get this passed in, so tests can capture both.
 */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** For confirmation prompts; absent or not a TTY: no one to ask. */
  readonly stdin?: Readable & { isTTY?: boolean };
  /**
   * SIGINT/SIGTERM. A command that stops gracefully calls `handled()` first; otherwise the entry
   * point exits 130 at once.
   */
  readonly interrupt?: { readonly signal: AbortSignal; handled(): void };
  /**
   * The real time (default `new Date()`). `apply` judges a saved plan's expiry and age by it, never
   * by the hidden `--now` (which only fixes the time decisions are made at); tests inject it.
   */
  readonly clock?: () => Date;
  /**
   * The time that paces requests: rate-limit waits and retry back-offs (default: the monotonic
   * clock and real sleeps). Tests inject a virtual clock whose sleeps return at once, so pacing is
   * computed exactly but never waited for.
   */
  readonly timers?: PacingTimers;
}

export interface PacingTimers {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const processIo = (interrupt?: CliIo['interrupt']): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
  ...(interrupt ? { interrupt } : {}),
});

/** Colour only on a TTY, never with NO_COLOR (https://no-color.org) or --no-color. */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY);
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
