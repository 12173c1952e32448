import { type Command, Option } from 'commander';
import { recentDeletions } from '../../apply/journal.js';
import { loadDesired } from '../../config/load.js';
import type { Desired } from '../../config/model.js';
import { makePlan } from '../../engine/make-plan.js';

/** The journal apply writes by default (apply --journal). */
const DEFAULT_JOURNAL = '.chatstate/journal.jsonl';

import { writePlanFile } from '../../engine/plan-file.js';
import type { Plan } from '../../model/plan.js';
import type { UnmatchedTarget } from '../../plan/target.js';
import { planJsonChunks, renderJson } from '../../render/json.js';
import { DEFAULT_MAX_CHARS, renderMarkdown } from '../../render/markdown.js';
import { type Masker, NO_MASK } from '../../render/mask.js';
import { renderText } from '../../render/text.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { type CliIo, useColour } from '../io.js';
import {
  addFormatOption,
  addOutOption,
  commonSettings,
  httpClientFor,
  info,
  resolveConfigFile,
  resolveFormat,
  resolveMask,
  withOut,
} from '../options.js';
import { VERSION } from '../version.js';
import { addPlanOptions, type PlanFlags, planSettings, refuseUnmatchedTargets } from './plan-options.js';

export interface PlanCommandFlags extends PlanFlags {
  /** `--max-chars N`: bound on the Markdown document (default 65,000, under GitHub's comment limit). */
  maxChars?: string;
  /** `--base FILE`: the config as on the target branch; removing what it protects is refused. */
  base?: string;
  /** `--save PLANFILE`: the plan for `chatstate apply PLANFILE` (JSON, whatever --format prints). */
  save?: string;
  detailedExitcode?: boolean;
}

export type PlanFormat = 'text' | 'markdown' | 'json';

export interface RenderSettings {
  readonly mask?: Masker;
  /** Markdown only. */
  readonly maxChars?: number;
}

export function renderPlan(
  plan: Plan,
  format: PlanFormat,
  io: CliIo,
  colourFlag?: boolean,
  settings: RenderSettings = {},
): string {
  const mask = settings.mask ?? NO_MASK;
  if (format === 'json') return renderJson(plan, mask);
  if (format === 'markdown')
    return renderMarkdown(plan, { mask, ...(settings.maxChars !== undefined ? { maxChars: settings.maxChars } : {}) });
  return renderText(plan, { colour: useColour(io.stdout, io.env, colourFlag), mask });
}

function maxCharsOf(flags: PlanCommandFlags): number {
  if (flags.maxChars === undefined) return DEFAULT_MAX_CHARS;
  const n = Number(flags.maxChars);
  if (!/^[0-9]+$/.test(flags.maxChars) || n < 2_000)
    throw new UsageError(`--max-chars must be a whole number of at least 2000, got ${JSON.stringify(flags.maxChars)}`);
  return n;
}

/**
 * Characters gathered before one write to the output: 32 K, so a batch (at most 64 KB even in
 * UTF-16) is an ordinary young-generation string and the encoded copy is reused memory. Batches of
 * 1 MB were each a fresh large allocation, and touching 58 MB of fresh pages cost more than writing.
 */
const WRITE_BATCH = 1 << 15;

/** Until `out` has taken what was written (or is gone). */
function drained(out: CliIo['stdout']): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error): void => {
      out.off('drain', onDrain);
      out.off('close', onDrain);
      out.off('error', settle);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => settle();
    out.on('drain', onDrain);
    out.on('close', onDrain);
    out.on('error', settle);
  });
}

/**
 * Writes pieces of text in batches of about WRITE_BATCH characters, each one flat string, waiting
 * whenever the reader is behind: a pipe takes 64 KB at a time, and a plan written faster than it is
 * read would otherwise sit in memory whole, its pieces kept alive until the end.
 */
async function writeBatched(out: CliIo['stdout'], chunks: Iterable<string>): Promise<void> {
  let parts: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= WRITE_BATCH) {
      const full = out.write(parts.join(''));
      parts = [];
      size = 0;
      if (!full) await drained(out);
    }
  }
  if (parts.length > 0) out.write(parts.join(''));
}

/** Observe, plan, render, save: returns the exit code (0 none, 1 errors, 2 changes with --detailed-exitcode, 3 refused). */
export async function runPlan(desired: Desired, flags: PlanCommandFlags, io: CliIo): Promise<number> {
  return withOut(io, flags.out, (out) => planTo(desired, flags, out));
}

async function planTo(desired: Desired, flags: PlanCommandFlags, io: CliIo): Promise<number> {
  const settings = planSettings(flags);
  const common = commonSettings(flags, io);
  const maxChars = maxCharsOf(flags);
  const base = flags.base === undefined ? undefined : loadDesired(flags.base, { env: io.env, resolveEnv: false });
  const http = httpClientFor(common, common.concurrency * 2);
  info(
    io,
    flags,
    `observing ${desired.accounts.length} account${desired.accounts.length === 1 ? '' : 's'} of ${desired.file}…`,
  );
  let plan: Plan;
  let unmatched: UnmatchedTarget[];
  try {
    ({ plan, unmatchedTargets: unmatched } = await makePlan(desired, {
      http,
      now: settings.now,
      validForMs: settings.validForMs,
      targets: flags.target,
      ...(flags.exclude.length > 0 ? { excludes: flags.exclude } : {}),
      ...(base ? { base } : {}),
      allowMassDelete: Boolean(flags.allowMassDelete),
      concurrency: common.concurrency,
      toolVersion: VERSION,
      ...(common.log ? { log: common.log } : {}),
      // What apply deleted lately is not planned again while the provider may still list it.
      recentlyDeleted: recentDeletions(io.env['CHATSTATE_JOURNAL'] || DEFAULT_JOURNAL),
    }));
  } finally {
    await http.close();
  }
  refuseUnmatchedTargets(unmatched);
  const format = resolveFormat<PlanFormat>(flags);
  const mask = resolveMask(flags, desired);
  // JSON streams in pieces: a plan of 200,000 contacts is tens of MB, never one string.
  if (format === 'json') await writeBatched(io.stdout, planJsonChunks(plan, mask));
  else io.stdout.write(renderPlan(plan, format, io, flags.color, { mask, maxChars }));
  if (plan.errors.length > 0) {
    throw new CliError(
      `${plan.errors.length} collection${plan.errors.length === 1 ? '' : 's'} could not be observed, so nothing is planned for ${plan.errors.length === 1 ? 'it' : 'them'} and no plan file was saved; fix the cause above and run plan again.`,
    );
  }
  if (plan.refusals.length > 0) {
    const unprotected = plan.refusals.some((r) => r.kind === 'base-protection');
    throw new CliError(
      `plan refused (${plan.refusals.length} reason${plan.refusals.length === 1 ? '' : 's'} above); no plan file was saved.${unprotected ? ` A protection of ${flags.base} cannot be removed in the change that uses it: remove the protect entry in its own pull request first.` : ''}`,
      ExitCode.refused,
    );
  }
  if (flags.save) {
    writePlanFile(flags.save, plan);
    info(
      io,
      flags,
      `plan saved to ${flags.save} (valid until ${plan.expiresAt}); apply it with: chatstate apply ${flags.save}`,
    );
  }
  if (flags.out) info(io, flags, `wrote ${flags.out}`);
  return flags.detailedExitcode && plan.actions.length > 0 ? ExitCode.changes : ExitCode.ok;
}

/** `--save PLANFILE`, for the commands that make a plan. */
export const saveOption = (): Option =>
  new Option(
    '--save <planfile>',
    'save the plan for `chatstate apply PLANFILE` (JSON; no secrets), whatever --format prints',
  ).env('CHATSTATE_PLAN_FILE');

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export const PLAN_FORMAT_HELP =
  'text for terminals, markdown for pull-request comments, json for machines (the plan file)';

export function registerPlan(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('plan')
    .summary('show what apply would delete, without changing anything')
    .description(
      'Reads the config, observes the managed collections at the providers (read-only), and prints a plan: every resource that would be deleted or left, and why. Nothing is changed.\n\nExit status: 0 no changes (or changes without --detailed-exitcode), 1 error, 2 changes present (--detailed-exitcode), 3 refused by a safety check.',
    );
  addFormatOption(cmd, PLAN_FORMATS, PLAN_FORMAT_HELP);
  addOutOption(cmd)
    .addOption(saveOption())
    .addOption(new Option('--detailed-exitcode', 'exit 2 when the plan has changes').env('CHATSTATE_DETAILED_EXITCODE'))
    .addOption(
      new Option(
        '--max-chars <n>',
        'bound the Markdown document (a pull-request comment): past it, the removals that fit and "… and K more"',
      ).default(String(DEFAULT_MAX_CHARS)),
    )
    .addOption(
      new Option(
        '--base <file>',
        'the config as on the target branch (e.g. from git show): refuse (exit 3) removing what its protect entries cover',
      ),
    );
  addPlanOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  chatstate plan -f chatstate.yaml\n  chatstate plan --format markdown -o plan.md --save plan.json   # in a pull request\n  chatstate plan --target "green-api.main/instance.1101000001/*" --exclude "*contact.7999*"\n  git show origin/main:chatstate.yaml > base.yaml; chatstate plan --base base.yaml --mask\n  chatstate plan --format json | jq \'.actions[].address\'\n',
    )
    .action(async (flags: PlanCommandFlags) => {
      const desired = loadDesired(resolveConfigFile(flags.file, io.env), { env: io.env });
      setExit(await runPlan(desired, flags, io));
    });
}
