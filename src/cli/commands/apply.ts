import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { dryRunLines } from '../../apply/dry-run.js';
import { Journal, JournalError, recentDeletions } from '../../apply/journal.js';
import { progressReporter } from '../../apply/progress.js';
import { refusePlanFile } from '../../apply/verify.js';
import { loadDesired } from '../../config/load.js';
import { applyPlan } from '../../engine/apply-plan.js';
import { makePlan } from '../../engine/make-plan.js';
import { PlanFileError, readPlanFile } from '../../engine/plan-file.js';
import { recheckSavedPlan } from '../../engine/recheck.js';
import type { HttpClient } from '../../http/client.js';
import type { ActionOutcome } from '../../model/action.js';
import type { ApplyReport } from '../../model/apply-report.js';
import type { Plan } from '../../model/plan.js';
import { accountEndpoints, endpointChanges } from '../../plan/endpoints.js';
import { connectAll, type Sessions } from '../../providers/registry.js';
import { renderApplyJson, renderApplyText, renderDryRun } from '../../render/apply-report.js';
import { MASK, type Masker, NO_MASK } from '../../render/mask.js';
import { parseDuration } from '../../shared/duration.js';
import { envText } from '../env-options.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import {
  addFormatOption,
  addOutOption,
  commonSettings,
  httpClientFor,
  info,
  maskedIo,
  resolveConfigFile,
  resolveFormat,
  resolveMask,
  withOut,
} from '../options.js';
import { VERSION } from '../version.js';
import { renderPlan } from './plan.js';
import { addPlanOptions, type PlanFlags, planSettings, refuseUnmatchedTargets } from './plan-options.js';

interface ApplyFlags extends PlanFlags {
  autoApprove?: boolean;
  dryRun?: boolean;
  journal: string;
  maxAge: string;
}

/** What apply works on: a verified plan, the run's sessions, and outcomes known before any request. */
interface Prepared {
  readonly plan: Plan;
  readonly sessions: Sessions;
  readonly known: ReadonlyMap<string, ActionOutcome>;
}

interface Run {
  readonly flags: ApplyFlags;
  readonly io: CliIo;
  readonly http: HttpClient;
  readonly now: Date;
  readonly validForMs: number;
  /** Requests per account while observing. */
  readonly observeConcurrency: number;
  /** How apply prints: masked from the start with --mask, else once the config says so. */
  readonly masking: { current: Masker };
}

/** The saved-plan path: read and verify the file against the config and the clock, then re-check what it touches. */
async function prepareSaved(
  planFile: string,
  { flags, io, http, now, observeConcurrency, masking }: Run,
): Promise<Prepared> {
  if (flags.target.length > 0)
    throw new UsageError(
      '--target narrows a new plan; a saved plan is applied as reviewed. Make a targeted plan with: chatstate plan --target … --save plan.json',
    );
  if (flags.exclude.length > 0)
    throw new UsageError(
      '--exclude narrows a new plan; a saved plan is applied as reviewed. Make a narrower plan with: chatstate plan --exclude … --save plan.json',
    );
  if (!existsSync(planFile))
    throw new CliError(`plan file ${planFile} does not exist; make one with: chatstate plan --save ${planFile}`);
  let plan: Plan;
  try {
    plan = readPlanFile(planFile);
  } catch (err) {
    if (err instanceof PlanFileError) throw new CliError(`refusing to apply: ${err.message}`, ExitCode.refused);
    throw err;
  }
  const desired = loadDesired(flags.file ?? envText(io.env, 'CHATSTATE_CONFIG') ?? plan.configFile, { env: io.env });
  masking.current = resolveMask(flags, desired);
  const maxAgeMs = parseDuration(flags.maxAge);
  if (maxAgeMs === undefined)
    throw new UsageError(`--max-age must be a duration such as 24h, got ${JSON.stringify(flags.maxAge)}`);
  const moved = endpointChanges(plan.endpoints ?? [], accountEndpoints(desired));
  if (moved.length > 0) {
    throw new CliError(
      `refusing to apply ${planFile}: the accounts' endpoints changed since the plan was made (the environment resolves the config differently): ${moved.join('; ')}. Run plan again with this environment.`,
      ExitCode.refused,
    );
  }
  // Expiry and age by the real clock: `--now` must not bring an expired plan back to life.
  const refusal = refusePlanFile(plan, desired, io.clock?.() ?? new Date(), maxAgeMs);
  if (refusal) throw new CliError(`refusing to apply ${planFile}: ${refusal}`, ExitCode.refused);
  const sessions = connectAll(desired, http, observeConcurrency);
  if (flags.dryRun) return { plan, sessions, known: new Map() };
  const touched = new Set(plan.actions.map((a) => a.collection));
  info(
    io,
    flags,
    `re-checking ${touched.size} collection${touched.size === 1 ? '' : 's'} touched by ${plan.actions.length} reviewed actions…`,
  );
  const { known, drift, refused } = await recheckSavedPlan(plan, desired, sessions, now);
  if (refused.length > 0)
    throw new CliError(
      `refusing to apply ${planFile}: ${refused.length} action${refused.length === 1 ? '' : 's'} no plan makes; nothing was sent. Run plan again.\n  ${refused.slice(0, 10).join('\n  ')}`,
      ExitCode.refused,
    );
  const gone = [...known.values()].filter((o) => o.outcome === 'already-absent').length;
  if (gone > 0)
    info(io, flags, `${gone} target${gone === 1 ? ' is' : 's are'} already gone; recorded as already-absent`);
  for (const [key, o] of known)
    if (o.stale) info(io, flags, `${key.slice(0, key.indexOf(':'))} ${o.address}: ${o.detail ?? 'not sent'}`);
  for (const d of drift) info(io, flags, `drift (not in the reviewed plan, not acted on): ${d}`);
  if (drift.length > 0)
    info(
      io,
      flags,
      `${drift.length} new removal${drift.length === 1 ? '' : 's'} since the plan was made; run plan again to review ${drift.length === 1 ? 'it' : 'them'}`,
    );
  return { plan, sessions, known };
}

/** The plan-now path: plan and show the plan (on the terminal: stdout when it prints text, else stderr). */
async function prepareFresh({ flags, io, http, now, validForMs, observeConcurrency, masking }: Run): Promise<Prepared> {
  const desired = loadDesired(resolveConfigFile(flags.file, io.env), { env: io.env });
  masking.current = resolveMask(flags, desired);
  info(
    io,
    flags,
    `observing ${desired.accounts.length} account${desired.accounts.length === 1 ? '' : 's'} of ${desired.file}…`,
  );
  const sessions = connectAll(desired, http, observeConcurrency);
  const { plan, unmatchedTargets } = await makePlan(desired, {
    http,
    sessions,
    now,
    validForMs,
    targets: flags.target,
    ...(flags.exclude.length > 0 ? { excludes: flags.exclude } : {}),
    allowMassDelete: Boolean(flags.allowMassDelete),
    concurrency: observeConcurrency,
    toolVersion: VERSION,
    recentlyDeleted: recentDeletions(flags.journal),
  });
  refuseUnmatchedTargets(unmatchedTargets);
  const shown = { mask: masking.current };
  if (resolveFormat(flags) === 'text' && !flags.out) io.stdout.write(renderPlan(plan, 'text', io, flags.color, shown));
  else io.stderr.write(renderPlan(plan, 'text', { ...io, stdout: io.stderr }, flags.color, shown));
  if (plan.errors.length > 0)
    throw new CliError(
      'some collections could not be observed; nothing was applied. Fix the cause above and run again.',
    );
  if (plan.refusals.length > 0) throw new CliError('plan refused (see above); nothing was applied.', ExitCode.refused);
  return { plan, sessions, known: new Map() };
}

/** Asks on the terminal (only "yes" counts); without one, --auto-approve is required. */
async function confirmed(plan: Plan, { flags, io }: Run): Promise<boolean> {
  if (flags.autoApprove) return true;
  if (!io.stdin?.isTTY)
    throw new CliError(
      'no terminal to confirm on: review the plan above, then run again with --auto-approve (or apply a saved plan file: chatstate plan --save plan.json; chatstate apply plan.json)',
    );
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  const answer = await rl.question(
    `\nApply ${plan.actions.length} action${plan.actions.length === 1 ? '' : 's'}? Only "yes" is accepted: `,
  );
  rl.close();
  // Like Terraform: anything but "yes" cancels, and a cancelled apply is not a success.
  if (answer.trim() !== 'yes') throw new CliError('Apply cancelled; nothing was changed.');
  return true;
}

/** The journal, opened before any request: one that cannot be written stops apply with a plain error. */
function openJournal(path: string): Journal {
  try {
    return new Journal(path, randomUUID(), () => new Date());
  } catch (err) {
    if (err instanceof JournalError)
      throw new CliError(`${err.message}; nothing was sent. Pass --journal FILE in a writable directory.`);
    throw err;
  }
}

/** Executes with the journal and progress attached; SIGINT stops new requests (the engine's signal). */
async function execute(
  { plan, sessions, known }: Prepared,
  { flags, io }: Run,
  concurrency: number,
): Promise<ApplyReport> {
  io.interrupt?.handled();
  const journal = openJournal(flags.journal);
  const progress = progressReporter(io.stderr, () => performance.now(), flags.quiet);
  progress.started(plan.actions.length);
  const report = await applyPlan(plan, sessions, {
    concurrency,
    known,
    ...(io.interrupt ? { signal: io.interrupt.signal } : {}),
    beforeSend: (actions) => journal.sending(actions),
    onOutcome: (action, outcome) => {
      progress.finished(action, outcome);
      journal.record(action, outcome);
    },
  });
  journal.close();
  progress.done();
  return report;
}

const exitCodeOf = (report: ApplyReport): number =>
  report.interrupted
    ? ExitCode.interrupted
    : report.counts.failed + report.counts.skipped + report.counts.notSent > 0
      ? ExitCode.error
      : ExitCode.ok;

async function runApply(planFile: string | undefined, flags: ApplyFlags, io: CliIo): Promise<number> {
  const masking = { current: flags.mask === true ? MASK : NO_MASK };
  // Everything apply prints (progress, drift, dry-run requests, reports) passes the masker.
  return withOut(io, flags.out, (out) =>
    applyTo(
      planFile,
      flags,
      maskedIo(out, () => masking.current),
      masking,
    ),
  );
}

/** prepare (saved or fresh) → dry run | confirm → apply → report. */
async function applyTo(
  planFile: string | undefined,
  flags: ApplyFlags,
  io: CliIo,
  masking: { current: Masker },
): Promise<number> {
  const settings = planSettings(flags);
  const common = commonSettings(flags, io);
  const format = resolveFormat<'text' | 'json'>(flags);
  // Lanes keep several requests in flight each (rate × round trip + 1): room for a few per lane.
  const http = httpClientFor(common, Math.min(Math.max(common.concurrency, 8) * 4, 256));
  const run: Run = {
    flags,
    io,
    http,
    now: settings.now,
    validForMs: settings.validForMs,
    observeConcurrency: Math.min(common.concurrency, 8),
    masking,
  };
  try {
    const prepared = planFile ? await prepareSaved(planFile, run) : await prepareFresh(run);
    if (!planFile && prepared.plan.actions.length === 0) return ExitCode.ok;
    if (flags.dryRun) {
      io.stdout.write(renderDryRun(dryRunLines(prepared.plan.actions, prepared.sessions), format));
      return ExitCode.ok;
    }
    if (!planFile && !(await confirmed(prepared.plan, run))) return ExitCode.ok;
    const report = await execute(prepared, run, common.concurrency);
    io.stdout.write(format === 'json' ? renderApplyJson(report) : renderApplyText(report));
    if (report.halted) {
      throw new CliError(
        `${report.halted.message}; stopped: nothing more was sent, and requests already sent are counted above. Free the space (or pass --journal FILE elsewhere) and run apply again.`,
      );
    }
    info(io, flags, `journal: ${flags.journal}`);
    return exitCodeOf(report);
  } finally {
    await http.close();
  }
}

export function registerApply(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('apply')
    .argument('[planfile]', 'a plan saved by `chatstate plan --save`: apply exactly its reviewed actions')
    .summary('execute a plan: delete and leave what it lists')
    .description(
      'With PLANFILE: checks that the config is the one the plan was made from and that the plan has not expired, re-checks that each target still exists (gone ones count as already absent), then executes exactly the reviewed actions. Without: plans now, shows the plan, and asks for confirmation (in CI: --auto-approve).\n\nEvery outcome is appended to the journal. Exit status: 0 done, 1 something failed, 3 refused (stale, expired or malformed plan; unsafe plan), 130 interrupted (run apply again to finish).',
    )
    .addOption(
      new Option('--auto-approve', 'do not ask for confirmation (required without a terminal)').env(
        'CHATSTATE_AUTO_APPROVE',
      ),
    )
    .addOption(
      new Option('--dry-run', 'print every request that would be sent, in order, and send nothing').env(
        'CHATSTATE_DRY_RUN',
      ),
    )
    .addOption(
      new Option('--journal <file>', 'append every outcome here as JSON lines')
        .default('.chatstate/journal.jsonl')
        .env('CHATSTATE_JOURNAL'),
    )
    .addOption(
      new Option('--max-age <duration>', 'refuse a plan file older than this').default('24h').env('CHATSTATE_MAX_AGE'),
    );
  addFormatOption(cmd, ['text', 'json'], 'text for people, json for machines (the outcome of every action)');
  addOutOption(cmd);
  addPlanOptions(cmd, {
    help: 'instances and accounts worked on at once (each paced to its rate limits)',
    default: '32',
  })
    .addHelpText(
      'after',
      '\nExamples:\n  chatstate apply plan.json                     # the reviewed plan, on merge\n  chatstate apply plan.json --dry-run           # the exact requests, none sent\n  chatstate apply -f chatstate.yaml             # plan, confirm, apply\n  chatstate apply --auto-approve --concurrency 64   # large fleets\n',
    )
    .action(async (planFile: string | undefined, flags: ApplyFlags) => {
      setExit(await runApply(planFile, flags, io));
    });
}
