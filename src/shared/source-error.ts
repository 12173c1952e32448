/** A position in a source file, 1-based like editors show it. */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** One problem found in a user's file, pointing at where it is. */
export interface SourceProblem extends SourcePosition {
  readonly file: string;
  readonly message: string;
}

/** `file:line:col: message`, the form editors and CI annotations understand. */
function formatProblem(p: SourceProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

function compareProblems(a: SourceProblem, b: SourceProblem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message);
}

/**
 * Thrown when a file cannot be accepted. Carries every problem found (not only the first), sorted
 * by position, so the user can fix them all in one pass.
 */
export class SourceError extends Error {
  readonly problems: readonly SourceProblem[];
  constructor(problems: readonly SourceProblem[]) {
    const sorted = [...problems].sort(compareProblems);
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'SourceError';
    this.problems = sorted;
  }
}
