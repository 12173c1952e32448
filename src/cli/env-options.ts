import type { Command, Option } from 'commander';
import { CliError } from './errors.js';

const ON = new Set(['true', '1']);
const OFF = new Set(['false', '0', '']);

/**
 * The value of a `CHATSTATE_*` variable that names a file or a setting: an empty value counts as
 * unset (a pipeline that writes `CHATSTATE_CONFIG: ""` means "the default", not the file "").
 */
export function envText(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * A yes/no variable: `true` or `1` is on; `false`, `0` or empty is off; unset is undefined.
 * Anything else is refused with an error naming the variable: `CHATSTATE_AUTO_APPROVE=no` must
 * never count as "yes", and guessing what `off` or `yes please` means is not our job.
 */
function envFlag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  if (ON.has(v)) return true;
  if (OFF.has(v)) return false;
  const shown = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  throw new CliError(
    `environment variable ${name} is ${JSON.stringify(shown)}; a yes/no variable takes true or 1 (on), false, 0 or empty (off)`,
  );
}

/**
 * Reads the environment variables of `command`'s options (`new Option(…).env('CHATSTATE_X')`) from
 * `env`, replacing what commander did: commander reads `process.env` and turns a boolean option on
 * for ANY defined value, `false` included. Options given on the command line keep their values.
 * Run as a preAction hook, so it sees the options of the command being run.
 */
export function applyEnvOptions(command: Command, env: NodeJS.ProcessEnv): void {
  for (const option of command.options as readonly Option[]) {
    const name = option.envVar;
    if (!name) continue;
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source === 'cli') continue;
    const reset = (): void => {
      if (source === 'env') command.setOptionValueWithSource(key, option.defaultValue, 'default');
    };
    if (option.isBoolean()) {
      const on = envFlag(env, name);
      if (on) command.setOptionValueWithSource(key, true, 'env');
      else reset();
      continue;
    }
    const text = envText(env, name);
    if (text === undefined) {
      reset();
      continue;
    }
    if (option.argChoices && !option.argChoices.includes(text)) {
      throw new CliError(
        `environment variable ${name} is ${JSON.stringify(text)}; it takes one of ${option.argChoices.join(', ')}`,
      );
    }
    command.setOptionValueWithSource(
      key,
      option.parseArg && !option.argChoices ? option.parseArg(text, option.defaultValue) : text,
      'env',
    );
  }
}
