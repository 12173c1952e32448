import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { type Command, Option } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import { HttpClient } from '../http/client.js';
import { type Masker, masker } from '../render/mask.js';
import { envText } from './env-options.js';
import { UsageError } from './errors.js';
import { type CliIo, type PacingTimers, writeLine } from './io.js';

/**
 * The one definition of the options commands share, so that a flag means the same everywhere:
 * - `--format` chooses how a command prints (`--output` is a hidden alias of it, never a file);
 * - `-o, --out FILE` writes what the command would print to FILE instead of standard output;
 * - `-f, --file`, `--concurrency`, `-v`, `-q`, `--no-color`, validated by `commonSettings`.
 */

export type Format = 'text' | 'markdown' | 'json';

/** Help texts: tests check that every command shows the same words. */
export const FORMAT_HELP = 'how to print';
export const OUT_HELP = 'write what would be printed to FILE instead of standard output';

export interface CommonFlags {
  file?: string;
  concurrency?: string;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
  format?: string;
  output?: string;
  out?: string;
}

/** `-f, --file FILE`, for every command that reads a config. */
const configFileOption = (): Option =>
  new Option('-f, --file <file>', `config file (env CHATSTATE_CONFIG; default ./${DEFAULT_CONFIG_FILE})`);

export function resolveConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? envText(env, 'CHATSTATE_CONFIG') ?? DEFAULT_CONFIG_FILE;
}

/**
 * `--format` with the formats this command prints (the first is the default; `what` explains each),
 * and `--output` as its hidden alias.
 */
export function addFormatOption<F extends Format>(cmd: Command, formats: readonly F[], what: string): Command {
  return cmd
    .addOption(
      new Option('--format <format>', `${FORMAT_HELP}: ${what}`)
        .choices(formats)
        .default(formats[0])
        .env('CHATSTATE_FORMAT'),
    )
    .addOption(new Option('--output <format>', 'same as --format').choices(formats).env('CHATSTATE_OUTPUT').hideHelp());
}

/** `-o, --out FILE`, for every command that prints a product. */
export function addOutOption(cmd: Command): Command {
  return cmd.addOption(new Option('-o, --out <file>', OUT_HELP));
}

/** The format asked for, whichever of `--format` and its alias `--output` said it. */
export function resolveFormat<F extends Format>(flags: CommonFlags): F {
  return (flags.output ?? flags.format ?? 'text') as F;
}

export interface CommonOptionSet {
  /** `-f, --file`. */
  readonly config?: boolean;
  /** `--concurrency`: what it counts here and its default. */
  readonly concurrency?: { readonly help: string; readonly default: string };
  /** `-v, --verbose`: log every request (commands that talk to providers). */
  readonly verbose?: boolean;
}

/** Adds the shared options: those `set` asks for, plus `-q, --quiet` and `--no-color` everywhere. */
export function addCommonOptions(cmd: Command, set: CommonOptionSet): Command {
  if (set.config) cmd.addOption(configFileOption());
  if (set.concurrency)
    cmd.addOption(
      new Option('--concurrency <n>', set.concurrency.help)
        .default(set.concurrency.default)
        .env('CHATSTATE_CONCURRENCY'),
    );
  if (set.verbose)
    cmd.addOption(
      new Option('-v, --verbose', 'log every request and retry to stderr (secrets redacted)').env('CHATSTATE_VERBOSE'),
    );
  return cmd
    .addOption(
      new Option('-q, --quiet', 'no progress or information on stderr (errors and warnings still)').env(
        'CHATSTATE_QUIET',
      ),
    )
    .option('--no-color', 'no colour, even on a terminal');
}

export interface CommonSettings {
  readonly concurrency: number;
  readonly quiet: boolean;
  /** Request log for `--verbose` (stderr), absent otherwise. */
  readonly log?: (line: string) => void;
  /** Pacing time for the HTTP client (tests inject a virtual clock). */
  readonly timers?: PacingTimers;
}

/** Validates the shared options the same way for every command. */
export function commonSettings(flags: CommonFlags, io: CliIo): CommonSettings {
  const concurrency = Number(flags.concurrency ?? '8');
  if (!/^[0-9]+$/.test(flags.concurrency ?? '8') || concurrency < 1 || concurrency > 256) {
    throw new UsageError(`--concurrency must be an integer from 1 to 256, got ${JSON.stringify(flags.concurrency)}`);
  }
  return {
    concurrency,
    quiet: Boolean(flags.quiet),
    ...(flags.verbose ? { log: (line: string) => writeLine(io.stderr, `chatstate: ${line}`) } : {}),
    ...(io.timers ? { timers: io.timers } : {}),
  };
}

/** The HTTP client of one command run, logging requests with --verbose. */
export function httpClientFor(settings: CommonSettings, connections: number): HttpClient {
  const { log, timers } = settings;
  return new HttpClient({
    connections,
    ...(log ? { log } : {}),
    ...(timers ? { now: () => timers.now(), sleep: (ms: number) => timers.sleep(ms) } : {}),
  });
}

/** An informational line on stderr, unless --quiet. */
export function info(io: CliIo, flags: { quiet?: boolean }, line: string): void {
  if (!flags.quiet) writeLine(io.stderr, `chatstate: ${line}`);
}

/**
 * Writes `text` to `path` atomically (a temporary file, then rename): a reader never sees half a
 * file. An existing file keeps its permissions; a new one is readable by its owner only (plans and
 * exports name people).
 */
function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  let mode = 0o600;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    // a new file
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/**
 * Runs `body` with standard output sent to `-o FILE` when given: the command prints as usual, and
 * what it printed lands in the file (written once, at the end, even when the command then fails, so
 * that a plan with errors is still on record). Without `--out`, `io` is passed through unchanged.
 */
export async function withOut<T>(io: CliIo, out: string | undefined, body: (io: CliIo) => Promise<T>): Promise<T> {
  if (out === undefined) return body(io);
  const chunks: string[] = [];
  const stdout = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  try {
    return await body({ ...io, stdout });
  } finally {
    if (chunks.length > 0) writeFileAtomic(out, chunks.join(''));
  }
}

/** `--mask` / `--no-mask`: what the command prints; without either, the config's `privacy.mask` decides. */
export function addMaskOption(cmd: Command, what = 'everything printed'): Command {
  return cmd
    .addOption(
      new Option(
        '--mask',
        `mask personal data in ${what}: phone numbers keep country code and last two digits, contact names their first letters (the plan file keeps full data)`,
      ),
    )
    .addOption(
      new Option('--no-mask', 'print personal data in full, even when the config says privacy: { mask: true }'),
    );
}

/** The masker a command prints with: the flag when given, else the config's `privacy.mask`. */
export function resolveMask(flags: { mask?: boolean }, desired?: { privacy: { mask: boolean } }): Masker {
  return masker(flags.mask ?? desired?.privacy.mask ?? false);
}

/**
 * `io` with standard output and error passed through `mask()` line by line, for commands that print
 * as they go (apply: progress, drift, dry-run requests). `mask` is read at each write, so a command
 * can switch it on once it has read the config.
 */
export function maskedIo(io: CliIo, mask: () => Masker): CliIo {
  const wrap = (target: Writable & { isTTY?: boolean }): Writable & { isTTY?: boolean } => {
    const stream: Writable & { isTTY?: boolean } = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        const m = mask();
        const text = chunk.toString();
        target.write(m.enabled ? m.text(text) : text, done);
      },
    });
    if (target.isTTY) stream.isTTY = true;
    return stream;
  };
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}
