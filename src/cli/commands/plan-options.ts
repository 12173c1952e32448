import { type Command, Option } from 'commander';
import type { UnmatchedTarget } from '../../plan/target.js';
import { parseDuration } from '../../shared/duration.js';
import { CliError, UsageError } from '../errors.js';
import { addCommonOptions, addMaskOption, type CommonFlags } from '../options.js';

/** Flags shared by `plan`, `apply` and `demo`. */
export interface PlanFlags extends CommonFlags {
  target: string[];
  exclude: string[];
  mask?: boolean;
  allowMassDelete?: boolean;
  concurrency: string;
  validFor: string;
  now?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * The options of commands that make a plan, and the shared ones (options.ts).
 * @param concurrency what `--concurrency` means here and its default: for plan, requests per account
 * while observing; for apply, lanes (instances, accounts) in flight, each paced by its rate limits.
 */
export function addPlanOptions(
  cmd: Command,
  concurrency = { help: 'concurrent requests per account', default: '8' },
  config = true,
): Command {
  cmd
    .addOption(
      new Option('--target <pattern>', 'limit the plan to matching addresses (glob; repeatable)')
        .argParser(collect)
        .default([]),
    )
    .addOption(
      new Option(
        '--exclude <pattern>',
        'leave matching addresses out, even when a --target selects them (glob, matched like --target; repeatable)',
      )
        .argParser(collect)
        .default([]),
    )
    .addOption(
      new Option('--allow-mass-delete', 'allow removals above the safety threshold').env('CHATSTATE_ALLOW_MASS_DELETE'),
    )
    .addOption(
      new Option('--valid-for <duration>', 'how long the plan stays valid (hazards are judged at its end)').default(
        '24h',
      ),
    )
    .addOption(new Option('--now <time>', 'fix the clock (RFC 3339), for reproducible plans').hideHelp());
  addMaskOption(cmd);
  return addCommonOptions(cmd, { config, concurrency, verbose: true });
}

export interface PlanSettings {
  readonly now: Date;
  readonly validForMs: number;
}

export function planSettings(flags: PlanFlags): PlanSettings {
  const now = flags.now ? new Date(flags.now) : new Date();
  if (Number.isNaN(now.getTime()))
    throw new UsageError(`--now must be an RFC 3339 time, got ${JSON.stringify(flags.now)}`);
  const validForMs = parseDuration(flags.validFor);
  if (validForMs === undefined || validForMs <= 0)
    throw new UsageError(`--valid-for must be a duration such as 24h or 30m, got ${JSON.stringify(flags.validFor)}`);
  return { now, validForMs };
}

/** `--target` patterns that select nothing are an error (exit 1) that shows what they could have meant. */
export function refuseUnmatchedTargets(unmatched: readonly UnmatchedTarget[]): void {
  if (unmatched.length === 0) return;
  const lines = unmatched.map(
    (u) =>
      `--target ${JSON.stringify(u.pattern)} matches nothing in the config or at the providers.${u.suggestions.length > 0 ? ` Did you mean one of:\n${u.suggestions.map((s) => `  ${s}`).join('\n')}` : ''}`,
  );
  throw new CliError(
    `${lines.join('\n')}\nTargets are globs over addresses (see chatstate plan --format json | jq '.collections[].address'); nothing was planned.`,
  );
}
