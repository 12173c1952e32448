import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Action, ActionOutcome } from '../model/action.js';
import type { ArchiveRecord } from '../model/archive.js';
import { archiveRecord } from '../restore/archive.js';
import { describeCode } from '../shared/errno.js';
import { redact } from '../shared/redact.js';

/**
 * One journal line: `event: "sending"` is written BEFORE a request (what is about to be sent, so a
 * crash or a full disk never loses track of a request), `event: "outcome"` after it. No secret: the
 * error text is redacted, URLs inside it too. Records may grow fields (an archive of the observed
 * resource on `sending`); readers ignore what they do not know.
 */
interface EntryBase {
  readonly time: string;
  readonly run: string;
  readonly address: string;
  readonly type: Action['type'];
}

interface SendingEntry extends EntryBase {
  readonly event: 'sending';
  /** Which resource the request acts on (provider ids only). */
  readonly target: Action['target'];
  /**
   * The resource's whole observed record, written before it is removed: what `chatstate restore`
   * lists and re-creates (`src/restore/archive.ts`).
   */
  readonly archive: ArchiveRecord;
}

interface OutcomeEntry extends EntryBase {
  readonly event: 'outcome';
  readonly outcome: ActionOutcome['outcome'];
  readonly attempts: number;
  readonly status?: number;
  readonly error?: string;
}

/** The journal could not be opened or written: apply must send nothing more. */
export class JournalError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
    what: string,
  ) {
    super(`cannot ${what} the journal ${path}: ${describeCode(code)}`);
    this.name = 'JournalError';
  }
}

/** How the journal writes a line; tests inject failures. Must write all of `text` or throw. */
export type JournalWrite = (fd: number, text: string) => void;

const writeAll: JournalWrite = (fd, text) => {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
};

const codeOf = (err: unknown): string =>
  (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

/**
 * The apply journal, appended synchronously line by line: a killed process loses at most the line
 * it was writing. Opened before the first request, so a journal that cannot be written stops apply
 * before anything is sent. Every failure is a JournalError.
 */
export class Journal {
  private readonly fd: number;

  constructor(
    readonly path: string,
    private readonly run: string,
    private readonly now: () => Date,
    private readonly write: JournalWrite = writeAll,
  ) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a+', 0o600);
    } catch (err) {
      throw new JournalError(path, codeOf(err), 'open');
    }
    // A journal whose last line has no newline (an editor, a crash mid-line) gets one first, so the
    // next entry starts a line of its own.
    if (!endsWithNewline(this.fd)) this.append('\n');
  }

  /** Before a request: one `sending` line per action it carries. */
  sending(actions: readonly Action[]): void {
    const time = this.now().toISOString();
    this.append(
      actions
        .map(
          (a) =>
            `${JSON.stringify({ time, run: this.run, event: 'sending', address: a.address, type: a.type, target: a.target, archive: archiveRecord(a) } satisfies SendingEntry)}\n`,
        )
        .join(''),
    );
  }

  /** After it (or when the outcome is known without a request). */
  record(action: Action, outcome: ActionOutcome): void {
    const entry: OutcomeEntry = {
      time: this.now().toISOString(),
      run: this.run,
      event: 'outcome',
      address: action.address,
      type: action.type,
      outcome: outcome.outcome,
      attempts: outcome.attempts,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.detail !== undefined ? { error: redact(outcome.detail) } : {}),
    };
    this.append(`${JSON.stringify(entry)}\n`);
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // closing a journal we could not write adds nothing to the error already reported
    }
  }

  private append(text: string): void {
    try {
      this.write(this.fd, text);
    } catch (err) {
      throw new JournalError(this.path, codeOf(err), 'write');
    }
  }
}

function endsWithNewline(fd: number): boolean {
  const { size, isFile } = (() => {
    const s = fstatSync(fd);
    return { size: s.size, isFile: s.isFile() };
  })();
  if (!isFile || size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/**
 * Appends one entry to a journal outside apply (`chatstate restore` records what it re-created), on
 * a line of its own even when the journal's last line has no newline (a crash mid-line). File
 * errors are thrown as they are.
 */
export function appendJournalEntry(path: string, entry: object): void {
  const fd = openSync(path, 'a+', 0o600);
  try {
    writeAll(fd, `${endsWithNewline(fd) ? '' : '\n'}${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * What the journal says chatstate deleted: the address of every `done` (or `partial`) outcome with
 * its time, the latest per address. A missing or unreadable journal says nothing; lines that are
 * not journal entries are skipped.
 */
export function recentDeletions(path: string): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try {
    // Only a regular file is read: a device such as /dev/full or /dev/zero would never end.
    if (!statSync(path).isFile()) return out;
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line) as Partial<OutcomeEntry>;
      if (
        e.event !== 'outcome' ||
        (e.outcome !== 'done' && e.outcome !== 'partial') ||
        typeof e.address !== 'string' ||
        typeof e.time !== 'string'
      )
        continue;
      const prev = out.get(e.address);
      if (prev === undefined || prev < e.time) out.set(e.address, e.time);
    } catch {
      // not an entry: skipped
    }
  }
  return out;
}
