import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { appendJournalEntry } from '../../apply/journal.js';
import { loadDesired } from '../../config/load.js';
import { executeRestore, planRestore, type RestorePlan } from '../../engine/restore.js';
import { redactRequest } from '../../http/client.js';
import type { ArchiveRecord } from '../../model/archive.js';
import { targetMatcher, unmatchedTargets } from '../../plan/target.js';
import type { RestoreOutcome } from '../../providers/restore.js';
import { plainText } from '../../render/safe-text.js';
import { removedFromJournal } from '../../restore/archive.js';
import { redact } from '../../shared/redact.js';
import { CliError, ExitCode } from '../errors.js';
import { type CliIo, writeLine } from '../io.js';
import {
  addCommonOptions,
  addFormatOption,
  type CommonFlags,
  commonSettings,
  httpClientFor,
  info,
  resolveConfigFile,
  resolveFormat,
} from '../options.js';
import { refuseUnmatchedTargets } from './plan-options.js';

interface RestoreFlags extends CommonFlags {
  target: string[];
  dryRun?: boolean;
  autoApprove?: boolean;
}

const DEFAULT_JOURNAL = '.chatstate/journal.jsonl';
const collect = (value: string, previous: string[]): string[] => [...previous, value];
const named = (r: ArchiveRecord): string => `${r.address}${r.name ? ` ("${plainText(r.name, 60)}")` : ''}`;

function report(plan: RestorePlan): string[] {
  const lines = [
    ...plan.create.map((r) => `  + re-create ${named(r)}`),
    ...plan.present.map((r) => `  = already present: ${named(r)}`),
    ...plan.cannot.map((c) => `  ✗ cannot be restored: ${named(c.record)}: ${c.why}`),
  ];
  return [
    ...lines,
    '',
    `Restore: ${plan.create.length} to re-create, ${plan.present.length} already present, ${plan.cannot.length} cannot be restored.`,
  ];
}

function readJournal(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `no journal at ${path}; restore reads the journal apply writes (apply --journal FILE; default ${DEFAULT_JOURNAL})`
        : `cannot read the journal ${path}: ${code ?? String(err)}`,
    );
  }
}

async function confirm(io: CliIo, count: number): Promise<void> {
  if (!io.stdin?.isTTY)
    throw new CliError('no terminal to confirm on: review the list above, then run again with --auto-approve');
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  const answer = await rl.question(`\nRe-create ${count} resource${count === 1 ? '' : 's'}? Only "yes" is accepted: `);
  rl.close();
  if (answer.trim() !== 'yes') throw new CliError('Restore cancelled; nothing was changed.');
}

async function runRestore(journalPath: string, flags: RestoreFlags, io: CliIo): Promise<number> {
  const format = resolveFormat<'text' | 'json'>(flags);
  const common = commonSettings(flags, io);
  const { removed, unreadable } = removedFromJournal(readJournal(journalPath));
  if (unreadable > 0)
    writeLine(
      io.stderr,
      `chatstate: warning: ${unreadable} line${unreadable === 1 ? '' : 's'} of ${journalPath} could not be read and ${unreadable === 1 ? 'was' : 'were'} skipped`,
    );
  refuseUnmatchedTargets(
    flags.target.length > 0
      ? unmatchedTargets(
          flags.target,
          removed.map((r) => r.record.address),
        )
      : [],
  );
  const selected = targetMatcher(flags.target);
  const records = removed.map((r) => r.record).filter((r) => selected(r.address));
  const desired = loadDesired(resolveConfigFile(flags.file, io.env), { env: io.env });
  const http = httpClientFor(common, 8);
  try {
    info(
      io,
      flags,
      `${records.length} removed resource${records.length === 1 ? '' : 's'} in ${journalPath}; checking which exist now…`,
    );
    const plan = await planRestore(records, desired, http, common.concurrency);
    const shown = report(plan);
    if (format === 'text') for (const l of shown) writeLine(io.stdout, l);
    else for (const l of shown) writeLine(io.stderr, l);
    if (plan.create.length === 0) {
      if (format === 'json') writeLine(io.stdout, JSON.stringify(summaryJson(plan, []), null, 2));
      return ExitCode.ok;
    }
    if (flags.dryRun) {
      const requests = plan.create.map((r) => ({
        address: r.address,
        request: redactRequest(plan.restorers.get(`${r.provider}.${r.account}`)!.requestFor(r)),
      }));
      if (format === 'json') writeLine(io.stdout, JSON.stringify({ dryRun: true, requests }, null, 2));
      else {
        writeLine(
          io.stdout,
          `\nDry run: ${requests.length} request${requests.length === 1 ? '' : 's'} would be sent; nothing was sent.`,
        );
        for (const q of requests)
          writeLine(
            io.stdout,
            `${q.request.method} ${q.request.url}${q.request.body !== undefined ? ` ${JSON.stringify(q.request.body)}` : ''}  # ${q.address}`,
          );
      }
      return ExitCode.ok;
    }
    if (!flags.autoApprove) await confirm(io, plan.create.length);
    io.interrupt?.handled();
    const run = randomUUID();
    const outcomes = await executeRestore(
      plan,
      (record, outcome) => {
        // The same journal: a later restore knows what came back, and the history stays in one place.
        const entry = {
          time: new Date().toISOString(),
          run,
          event: outcome.outcome === 'failed' ? 'restore-failed' : 'restored',
          address: record.address,
          type: 'restore',
          outcome: outcome.outcome,
          ...(outcome.status !== undefined ? { status: outcome.status } : {}),
          ...(outcome.detail ? { detail: redact(outcome.detail) } : {}),
        };
        appendJournalEntry(journalPath, entry);
        if (outcome.outcome === 'failed')
          writeLine(io.stderr, `chatstate: failed: ${record.address}: ${plainText(redact(outcome.detail ?? ''), 300)}`);
      },
      io.interrupt?.signal,
    );
    const restored = outcomes.filter((o) => o.outcome === 'restored').length;
    const already = outcomes.filter((o) => o.outcome === 'already-present').length;
    const failed = outcomes.filter((o) => o.outcome === 'failed').length;
    const line = `Restore complete: ${restored} re-created, ${already + plan.present.length} already present, ${failed} failed; ${plan.cannot.length} cannot be restored.`;
    if (format === 'json')
      writeLine(io.stdout, JSON.stringify({ ...summaryJson(plan, outcomes), summary: line }, null, 2));
    else writeLine(io.stdout, line);
    if (io.interrupt?.signal.aborted) return ExitCode.interrupted;
    return failed > 0 ? ExitCode.error : ExitCode.ok;
  } finally {
    await http.close();
  }
}

function summaryJson(plan: RestorePlan, outcomes: readonly RestoreOutcome[]) {
  return {
    create: plan.create.map((r) => r.address),
    alreadyPresent: plan.present.map((r) => r.address),
    cannotRestore: plan.cannot.map((c) => ({ address: c.record.address, why: c.why })),
    outcomes,
  };
}

export function registerRestore(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('restore')
    .argument('[journal]', `the journal apply wrote (default ${DEFAULT_JOURNAL})`)
    .summary('re-create what apply removed, where the provider allows it')
    .description(
      'Reads the journal apply wrote (it archives every resource before removing it), shows what can be re-created (GREEN-API contacts through addContact, 2Chat contacts through create contact), what already exists again and what cannot come back (groups left, messages, instances, numbers, Wabotify contacts), then asks before re-creating anything (in CI: --auto-approve). Credentials come from the config (-f).\n\nExit status: 0 done (or nothing to do), 1 something failed or the confirmation was declined, 130 interrupted.',
    )
    .addOption(
      new Option('--target <pattern>', 'only archived resources whose address matches (glob; repeatable)')
        .argParser(collect)
        .default([]),
    )
    .addOption(new Option('--dry-run', 'print the requests that would be sent, and send nothing'))
    .addOption(
      new Option('--auto-approve', 'do not ask for confirmation (required without a terminal)').env(
        'CHATSTATE_AUTO_APPROVE',
      ),
    );
  addFormatOption(cmd, ['text', 'json'], 'text for people, json for machines');
  addCommonOptions(cmd, {
    config: true,
    concurrency: { help: 'concurrent requests per account while checking', default: '8' },
    verbose: true,
  })
    .addHelpText(
      'after',
      `\nExamples:\n  chatstate restore --dry-run                                   # what would come back, nothing sent\n  chatstate restore --target 'green-api.main/*' --auto-approve\n  chatstate restore ci-journal.jsonl -f chatstate.yaml\n`,
    )
    .action(async (journal: string | undefined, flags: RestoreFlags) => {
      setExit(await runRestore(journal ?? DEFAULT_JOURNAL, flags, io));
    });
}
