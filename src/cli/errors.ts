/**
 * Exit codes, the contract pipelines rely on (README "Exit codes"):
 * 0 ok; 1 any error; 2 changes present (only with `plan --detailed-exitcode`);
 * 3 refused as unsafe, stale or expired; 130 interrupted.
 */
export const ExitCode = { ok: 0, error: 1, changes: 2, refused: 3, interrupted: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as it is (no stack), with the exit code it maps to. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags or arguments: says what was wrong and how to get help. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(`${message}\nRun with --help for usage.`, ExitCode.error);
    this.name = 'UsageError';
  }
}
