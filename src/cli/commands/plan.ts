import { Option, type Command } from 'commander';
import { loadDesired } from '../../config/load.js';
import type { Desired } from '../../config/model.js';
import { makePlan } from '../../engine/make-plan.js';
import type { Plan } from '../../model/plan.js';
import { renderJson } from '../../render/json.js';
import { renderMarkdown } from '../../render/markdown.js';
import { renderText } from '../../render/text.js';
import { CliError, ExitCode } from '../errors.js';
import { useColour, writeLine, type CliIo } from '../io.js';
import { writePlanFile } from '../../engine/plan-file.js';
import { VERSION } from '../version.js';
import { addPlanOptions, httpClientFor, info, planSettings, type PlanFlags } from './plan-options.js';
import { configFileOption, resolveConfigFile } from './shared-options.js';

export interface PlanCommandFlags extends PlanFlags {
  file?: string;
  format: 'text' | 'markdown' | 'json';
  /** Same as format (every command that prints takes --output). */
  output?: 'text' | 'markdown' | 'json';
  out?: string;
  detailedExitcode?: boolean;
}

export function renderPlan(plan: Plan, format: PlanCommandFlags['format'], io: CliIo, colourFlag?: boolean): string {
  if (format === 'json') return renderJson(plan);
  if (format === 'markdown') return renderMarkdown(plan);
  return renderText(plan, { colour: useColour(io.stdout, io.env, colourFlag) });
}

/** Observe, plan, render, save: returns the exit code (0 none, 1 errors, 2 changes with --detailed-exitcode, 3 refused). */
export async function runPlan(desired: Desired, flags: PlanCommandFlags, io: CliIo): Promise<number> {
  const settings = planSettings(flags);
  const http = httpClientFor(flags, io, settings.concurrency * 2);
  info(io, flags, `observing ${desired.accounts.length} account${desired.accounts.length === 1 ? '' : 's'} of ${desired.file}…`);
  let plan: Plan;
  try {
    ({ plan } = await makePlan(desired, {
      http,
      now: settings.now,
      validForMs: settings.validForMs,
      targets: flags.target,
      allowMassDelete: Boolean(flags.allowMassDelete),
      concurrency: settings.concurrency,
      toolVersion: VERSION,
      ...(flags.verbose ? { log: (l: string) => writeLine(io.stderr, `chatstate: ${l}`) } : {}),
    }));
  } finally {
    await http.close();
  }
  io.stdout.write(renderPlan(plan, flags.output ?? flags.format, io, flags.color));
  if (plan.errors.length > 0) {
    throw new CliError(`${plan.errors.length} collection${plan.errors.length === 1 ? '' : 's'} could not be observed, so nothing is planned for ${plan.errors.length === 1 ? 'it' : 'them'} and no plan file was written; fix the cause above and run plan again.`);
  }
  if (plan.refusals.length > 0) {
    throw new CliError(`plan refused (${plan.refusals.length} reason${plan.refusals.length === 1 ? '' : 's'} above); no plan file was written.`, ExitCode.refused);
  }
  if (flags.out) {
    writePlanFile(flags.out, plan);
    info(io, flags, `plan saved to ${flags.out} (valid until ${plan.expiresAt}); apply it with: chatstate apply ${flags.out}`);
  }
  return flags.detailedExitcode && plan.actions.length > 0 ? ExitCode.changes : ExitCode.ok;
}

export function registerPlan(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('plan')
    .summary('show what apply would delete, without changing anything')
    .description(
      'Reads the config, observes the managed collections at the providers (read-only), and prints a plan: every resource that would be deleted or left, and why. Nothing is changed.\n\nExit status: 0 no changes (or changes without --detailed-exitcode), 1 error, 2 changes present (--detailed-exitcode), 3 refused by a safety check.',
    )
    .addOption(configFileOption())
    .addOption(new Option('--format <format>', 'text for terminals, markdown for pull-request comments, json for machines').choices(['text', 'markdown', 'json']).default('text').env('CHATSTATE_FORMAT'))
    .addOption(new Option('--output <format>', 'same as --format').choices(['text', 'markdown', 'json']).env('CHATSTATE_OUTPUT'))
    .addOption(new Option('-o, --out <planfile>', 'save the plan for `chatstate apply PLANFILE` (JSON; no secrets)').env('CHATSTATE_PLAN_OUT'))
    .addOption(new Option('--detailed-exitcode', 'exit 2 when the plan has changes').env('CHATSTATE_DETAILED_EXITCODE'));
  addPlanOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  chatstate plan -f chatstate.yaml\n  chatstate plan --format markdown --out plan.json > plan.md   # in a pull request\n  chatstate plan --target "green-api.main/instance.1101000001/*"\n  chatstate plan --format json | jq \'.actions[].address\'\n',
    )
    .action(async (flags: PlanCommandFlags) => {
      const desired = loadDesired(resolveConfigFile(flags.file, io.env), { env: io.env });
      setExit(await runPlan(desired, flags, io));
    });
}
