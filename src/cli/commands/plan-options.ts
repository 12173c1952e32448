import { Option, type Command } from 'commander';
import { parseDuration } from '../../shared/duration.js';
import { HttpClient } from '../../http/client.js';
import { UsageError } from '../errors.js';
import { writeLine, type CliIo } from '../io.js';

/** Flags shared by `plan`, `apply` and `demo`. */
export interface PlanFlags {
  target: string[];
  allowMassDelete?: boolean;
  concurrency: string;
  validFor: string;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
  now?: string;
}

/** An informational line on stderr, unless --quiet. */
export function info(io: CliIo, flags: { quiet?: boolean }, line: string): void {
  if (!flags.quiet) writeLine(io.stderr, `chatstate: ${line}`);
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * @param concurrency what `--concurrency` means here and its default: for plan, requests per account
 * while observing; for apply, lanes (instances, accounts) in flight, each paced by its rate limits.
 */
export function addPlanOptions(cmd: Command, concurrency = { help: 'concurrent requests per account', default: '8' }): Command {
  return cmd
    .addOption(new Option('--target <pattern>', 'limit the plan to matching addresses (glob; repeatable)').argParser(collect).default([]))
    .addOption(new Option('--allow-mass-delete', 'allow removals above the safety threshold').env('CHATSTATE_ALLOW_MASS_DELETE'))
    .addOption(new Option('--concurrency <n>', concurrency.help).default(concurrency.default).env('CHATSTATE_CONCURRENCY'))
    .addOption(new Option('--valid-for <duration>', 'how long the plan stays valid (hazards are judged at its end)').default('24h'))
    .addOption(new Option('-v, --verbose', 'log every request and retry to stderr (secrets redacted)').env('CHATSTATE_VERBOSE'))
    .addOption(new Option('-q, --quiet', 'no progress or information on stderr (errors still)').env('CHATSTATE_QUIET'))
    .option('--no-color', 'no colour, even on a terminal')
    .addOption(new Option('--now <time>', 'fix the clock (RFC 3339), for reproducible plans').hideHelp());
}

export interface PlanSettings {
  readonly now: Date;
  readonly validForMs: number;
  readonly concurrency: number;
}

export function planSettings(flags: PlanFlags): PlanSettings {
  const now = flags.now ? new Date(flags.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an RFC 3339 time, got ${JSON.stringify(flags.now)}`);
  const validForMs = parseDuration(flags.validFor);
  if (validForMs === undefined || validForMs <= 0) throw new UsageError(`--valid-for must be a duration such as 24h or 30m, got ${JSON.stringify(flags.validFor)}`);
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new UsageError(`--concurrency must be an integer from 1 to 256, got ${JSON.stringify(flags.concurrency)}`);
  return { now, validForMs, concurrency };
}

export function httpClientFor(flags: PlanFlags, io: CliIo, connections: number): HttpClient {
  return new HttpClient({ connections, ...(flags.verbose ? { log: (line: string) => writeLine(io.stderr, `chatstate: ${line}`) } : {}) });
}
