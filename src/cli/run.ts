import { Command, CommanderError } from 'commander';
import { describeFileSystemError, isFileSystemError } from '../shared/errno.js';
import { SourceError } from '../shared/source-error.js';
import { registerApply } from './commands/apply.js';
import { registerCompletion } from './commands/completion.js';
import { registerDemo } from './commands/demo.js';
import { registerEmulator } from './commands/emulator.js';
import { registerExport } from './commands/export.js';
import { registerFmt } from './commands/fmt.js';
import { registerPlan } from './commands/plan.js';
import { registerRestore } from './commands/restore.js';
import { registerValidate } from './commands/validate.js';
import { applyEnvOptions } from './env-options.js';
import { CliError, ExitCode } from './errors.js';
import { type CliIo, processIo, writeLine } from './io.js';
import { VERSION } from './version.js';

/** A command that keeps running (the emulator) until the entry point stops it on a signal. */
export interface LongRunning {
  stop(): Promise<void>;
}

/** The whole command tree (also what `completion` and the tests of the CI examples read). */
export function buildProgram(
  io: CliIo,
  setExit: (code: number) => void,
  setLongRunning: (stop: () => Promise<void>) => void,
): Command {
  const program = new Command('chatstate')
    .description('Declarative state for WhatsApp gateway accounts: plan and apply deletions from YAML.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)')
    // CHATSTATE_* variables are read from io.env, strictly (env-options.ts), not by commander.
    .hook('preAction', (_program, command) => applyEnvOptions(command, io.env))
    .addHelpText(
      'after',
      '\nExit status: 0 ok; 1 error; 2 changes (plan --detailed-exitcode); 3 refused; 130 interrupted.\nDocs: README.md, docs/config.md, docs/gitops.md.',
    );
  registerPlan(program, io, setExit);
  registerApply(program, io, setExit);
  registerDemo(program, io, setExit);
  registerExport(program, io, setExit);
  registerRestore(program, io, setExit);
  registerValidate(program, io, setExit);
  registerFmt(program, io, setExit);
  registerEmulator(program, io, setLongRunning);
  registerCompletion(program, io);
  return program;
}

/** Runs one CLI invocation. Resolves to the exit code, or to a handle for a long-running command. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number | LongRunning> {
  let longRunning: (() => Promise<void>) | undefined;
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(
    io,
    (code) => {
      exitCode = code;
    },
    (stop) => {
      longRunning = stop;
    },
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    return reportError(err, io);
  }
  return longRunning ? { stop: longRunning } : exitCode;
}

/** The one error boundary: maps error classes to exit codes and prints what to do next. */
function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Help and version are exits with code 0 that commander signals as errors.
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
  }
  if (err instanceof SourceError) {
    for (const p of err.problems) writeLine(io.stderr, `${p.file}:${p.line}:${p.col}: error: ${p.message}`);
    writeLine(
      io.stderr,
      `${err.problems.length} error${err.problems.length === 1 ? '' : 's'}; fix ${err.problems.length === 1 ? 'it' : 'them'} and run again.`,
    );
    return ExitCode.error;
  }
  if (isFileSystemError(err)) {
    // A file we were asked to write or read (--save, --out, a journal): the user can fix it.
    writeLine(io.stderr, `chatstate: ${describeFileSystemError(err)}`);
    return ExitCode.error;
  }
  if (err instanceof CliError) {
    writeLine(io.stderr, `chatstate: ${err.message}`);
    return err.exitCode;
  }
  throw err;
}
