import { type Command, Option } from 'commander';
import { loadDesired } from '../../config/load.js';
import type { Desired } from '../../config/model.js';
import { makePlan } from '../../engine/make-plan.js';
import type { Plan } from '../../model/plan.js';
import { renderJson } from '../../render/json.js';
import { renderMarkdown } from '../../render/markdown.js';
import { renderText } from '../../render/text.js';
import { CliError, ExitCode } from '../errors.js';
import { useColour, type CliIo } from '../io.js';
import { writePlanFile } from '../../engine/plan-file.js';
import { VERSION } from '../version.js';
import { addFormatOption, addOutOption, commonSettings, httpClientFor, info, resolveConfigFile, resolveFormat, withOut } from '../options.js';
import type { UnmatchedTarget } from '../../plan/target.js';
import { addPlanOptions, planSettings, refuseUnmatchedTargets, type PlanFlags } from './plan-options.js';

export interface PlanCommandFlags extends PlanFlags {
  /** `--save PLANFILE`: the plan for `chatstate apply PLANFILE` (JSON, whatever --format prints). */
  save?: string;
  detailedExitcode?: boolean;
}

export type PlanFormat = 'text' | 'markdown' | 'json';

export function renderPlan(plan: Plan, format: PlanFormat, io: CliIo, colourFlag?: boolean): string {
  if (format === 'json') return renderJson(plan);
  if (format === 'markdown') return renderMarkdown(plan);
  return renderText(plan, { colour: useColour(io.stdout, io.env, colourFlag) });
}

/** Observe, plan, render, save: returns the exit code (0 none, 1 errors, 2 changes with --detailed-exitcode, 3 refused). */
export async function runPlan(desired: Desired, flags: PlanCommandFlags, io: CliIo): Promise<number> {
  return withOut(io, flags.out, (out) => planTo(desired, flags, out));
}

async function planTo(desired: Desired, flags: PlanCommandFlags, io: CliIo): Promise<number> {
  const settings = planSettings(flags);
  const common = commonSettings(flags, io);
  const http = httpClientFor(common, common.concurrency * 2);
  info(io, flags, `observing ${desired.accounts.length} account${desired.accounts.length === 1 ? '' : 's'} of ${desired.file}…`);
  let plan: Plan;
  let unmatched: UnmatchedTarget[];
  try {
    ({ plan, unmatchedTargets: unmatched } = await makePlan(desired, {
      http,
      now: settings.now,
      validForMs: settings.validForMs,
      targets: flags.target,
      allowMassDelete: Boolean(flags.allowMassDelete),
      concurrency: common.concurrency,
      toolVersion: VERSION,
      ...(common.log ? { log: common.log } : {}),
    }));
  } finally {
    await http.close();
  }
  refuseUnmatchedTargets(unmatched);
  io.stdout.write(renderPlan(plan, resolveFormat<PlanFormat>(flags), io, flags.color));
  if (plan.errors.length > 0) {
    throw new CliError(`${plan.errors.length} collection${plan.errors.length === 1 ? '' : 's'} could not be observed, so nothing is planned for ${plan.errors.length === 1 ? 'it' : 'them'} and no plan file was saved; fix the cause above and run plan again.`);
  }
  if (plan.refusals.length > 0) {
    throw new CliError(`plan refused (${plan.refusals.length} reason${plan.refusals.length === 1 ? '' : 's'} above); no plan file was saved.`, ExitCode.refused);
  }
  if (flags.save) {
    writePlanFile(flags.save, plan);
    info(io, flags, `plan saved to ${flags.save} (valid until ${plan.expiresAt}); apply it with: chatstate apply ${flags.save}`);
  }
  if (flags.out) info(io, flags, `wrote ${flags.out}`);
  return flags.detailedExitcode && plan.actions.length > 0 ? ExitCode.changes : ExitCode.ok;
}

/** `--save PLANFILE`, for the commands that make a plan. */
export const saveOption = (): Option => new Option('--save <planfile>', 'save the plan for `chatstate apply PLANFILE` (JSON; no secrets), whatever --format prints').env('CHATSTATE_PLAN_FILE');

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export const PLAN_FORMAT_HELP = 'text for terminals, markdown for pull-request comments, json for machines (the plan file)';

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
    .addOption(new Option('--detailed-exitcode', 'exit 2 when the plan has changes').env('CHATSTATE_DETAILED_EXITCODE'));
  addPlanOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  chatstate plan -f chatstate.yaml\n  chatstate plan --format markdown -o plan.md --save plan.json   # in a pull request\n  chatstate plan --target "green-api.main/instance.1101000001/*"\n  chatstate plan --format json | jq \'.actions[].address\'\n',
    )
    .action(async (flags: PlanCommandFlags) => {
      const desired = loadDesired(resolveConfigFile(flags.file, io.env), { env: io.env });
      setExit(await runPlan(desired, flags, io));
    });
}
