import { type Command, Option } from 'commander';
import { loadDesired } from '../../config/load.js';
import type { AccountConfig, Desired } from '../../config/model.js';
import { SourceError } from '../../shared/source-error.js';
import { ExitCode } from '../errors.js';
import { type CliIo, writeLine } from '../io.js';
import {
  addCommonOptions,
  addFormatOption,
  addOutOption,
  type CommonFlags,
  resolveConfigFile,
  resolveFormat,
  withOut,
} from '../options.js';

interface ValidateOptions extends CommonFlags {
  /** false with `--no-env-check`. */
  envCheck?: boolean;
  /** The older name of `--no-env-check`. */
  skipEnv?: boolean;
}

export function registerValidate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('validate')
    .summary('check a config file without contacting any provider')
    .description(
      'Parses, schema-checks and cross-checks a chatstate.yaml, resolving ${VAR} references from the environment. Reports every error (not only the first) as file:line:col, sorted by position.',
    )
    .addOption(
      new Option(
        '--no-env-check',
        'check everything except whether the ${VAR} references are set (pull requests from forks get no secrets)',
      ),
    )
    .addOption(new Option('--skip-env', 'same as --no-env-check').hideHelp())
    .addHelpText(
      'after',
      '\nExamples:\n  chatstate validate -f examples/chatstate.yaml\n  chatstate validate --format json --no-env-check   # CI annotations on pull requests, forks included\n',
    );
  addFormatOption(
    cmd,
    ['text', 'json'],
    'text for people, json for machines ({valid, errors: [{file, line, col, message}]})',
  );
  addOutOption(cmd);
  addCommonOptions(cmd, { config: true }).action((flags: ValidateOptions) =>
    withOut(io, flags.out, async (io) => {
      const opts = { ...flags, format: resolveFormat<'text' | 'json'>(flags) };
      const file = resolveConfigFile(opts.file, io.env);
      try {
        const desired = loadDesired(file, { env: io.env, resolveEnv: opts.envCheck !== false && !opts.skipEnv });
        if (opts.format === 'json')
          writeLine(
            io.stdout,
            JSON.stringify(
              { valid: true, file, digest: desired.digest, accounts: desired.accounts.map(addressOf), errors: [] },
              null,
              2,
            ),
          );
        else writeLine(io.stdout, summary(desired));
        setExit(ExitCode.ok);
      } catch (err) {
        if (!(err instanceof SourceError) || opts.format !== 'json') throw err;
        const errors = err.problems.map((p) => ({
          file: p.file,
          line: p.line,
          col: p.col,
          severity: 'error',
          message: p.message,
        }));
        writeLine(io.stdout, JSON.stringify({ valid: false, file, errors }, null, 2));
        setExit(ExitCode.error);
      }
    }),
  );
}

const addressOf = (a: AccountConfig): string => `${a.provider}.${a.name}`;

function collectionCount(a: AccountConfig): number {
  switch (a.provider) {
    case 'green-api':
      return (
        (a.partner?.instances ? 1 : 0) + a.instances.reduce((n, i) => n + (i.contacts ? 1 : 0) + (i.groups ? 1 : 0), 0)
      );
    case 'wabotify':
      return a.contacts ? 1 : 0;
    case '2chat':
      return (a.numbers ? 1 : 0) + (a.contacts ? 1 : 0) + a.messages.size;
  }
}

function summary(d: Desired): string {
  const collections = d.accounts.reduce((n, a) => n + collectionCount(a), 0);
  const accounts = d.accounts.map(addressOf).join(', ');
  return `${d.file}: valid: ${d.accounts.length} account${d.accounts.length === 1 ? '' : 's'} (${accounts || 'none'}), ${collections} managed collection${collections === 1 ? '' : 's'}`;
}
