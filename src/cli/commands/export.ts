import { existsSync, readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { parseDesired } from '../../config/load.js';
import type { AccountConfig } from '../../config/model.js';
import { type ExportedAccount, exportConfig, observeEverything, selectAccounts } from '../../engine/export.js';
import { observeAccounts } from '../../engine/observe-accounts.js';
import { connectAll, sessionFor } from '../../providers/registry.js';
import type { AccountSession } from '../../providers/types.js';
import { renderConfigDiff } from '../../render/config-diff.js';
import { redact } from '../../shared/redact.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { type CliIo, writeLine } from '../io.js';
import {
  addCommonOptions,
  addFormatOption,
  addOutOption,
  type CommonFlags,
  commonSettings,
  httpClientFor,
  info,
  resolveConfigFile,
  resolveFormat,
  resolveMask,
  withOut,
} from '../options.js';

interface ExportFlags extends CommonFlags {
  provider?: 'green-api' | 'wabotify' | '2chat';
  account?: string;
  workspace?: string;
  mask?: boolean;
  force?: boolean;
  diff?: boolean;
  detailedExitcode?: boolean;
}

/**
 * A starting config for one account from flags and the environment, with every secret as a
 * `${VAR}` reference (the variables the README and docs/gitops.md name).
 */
function seedConfig(flags: ExportFlags, env: NodeJS.ProcessEnv): string {
  const name = flags.account ?? 'main';
  const lines = ['# yaml-language-server: $schema=https://chatstate.dev/schemas/chatstate.schema.json', 'version: 1'];
  switch (flags.provider) {
    case 'green-api': {
      const instances = (env['GREEN_API_INSTANCES'] ?? '').split(/[\s,]+/).filter(Boolean);
      if (!env['GREEN_API_PARTNER_TOKEN'] && instances.length === 0)
        throw new UsageError(
          'export --provider green-api needs GREEN_API_PARTNER_TOKEN, or GREEN_API_INSTANCES=id,id with GREEN_API_TOKEN_<id> for each',
        );
      lines.push('green-api:', `  ${name}:`, '    apiUrl: ${GREEN_API_URL:-https://api.green-api.com}');
      if (env['GREEN_API_PARTNER_TOKEN']) lines.push('    partner:', '      token: ${GREEN_API_PARTNER_TOKEN}');
      if (instances.length > 0)
        lines.push(
          '    instances:',
          ...instances.flatMap((id) => [`      ${id}:`, `        token: \${GREEN_API_TOKEN_${id}}`]),
        );
      break;
    }
    case 'wabotify': {
      const workspace = flags.workspace ?? env['WABOTIFY_WORKSPACE_ID'];
      if (!workspace)
        throw new UsageError('export --provider wabotify needs --workspace ID (or WABOTIFY_WORKSPACE_ID)');
      lines.push(
        'wabotify:',
        `  ${name}:`,
        `    workspaceId: ${JSON.stringify(workspace)}`,
        '    apiKey: ${WABOTIFY_API_KEY}',
        '    apiUrl: ${WABOTIFY_URL:-https://api.wabotify.com}',
      );
      break;
    }
    case '2chat':
      lines.push(
        '2chat:',
        `  ${name}:`,
        '    apiKey: ${TWOCHAT_API_KEY}',
        '    apiUrl: ${TWOCHAT_URL:-https://api.p.2chat.io/open}',
      );
      break;
    default:
      throw new UsageError(
        'no config file to start from: pass -f FILE, or --provider green-api|wabotify|2chat (credentials from the environment)',
      );
  }
  return `${lines.join('\n')}\n`;
}

export function registerExport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('export')
    .summary('write a chatstate.yaml that keeps everything that exists now')
    .description(
      'From an existing config (-f): observes the collections it manages and adds to the `keep` list of each `prune: true` collection the ids that nothing in the file matches (names as comments), so that they are no longer planned for removal. Everything else stays as written: globs, `remove` lists, message retention, and collections the file does not manage.\n\nWithout a config (--provider, credentials from the environment): writes a new canonical config with `prune: true` and full keep lists.\n\n--diff --detailed-exitcode exits 2 when the file and the accounts differ.',
    )
    .addOption(
      new Option(
        '--provider <provider>',
        'only this provider (or, without a config file, the provider to start from)',
      ).choices(['green-api', 'wabotify', '2chat']),
    )
    .option('--account <name>', 'only this account (the account name in a new file; default main)')
    .option('--workspace <id>', 'Wabotify workspace id for a new file (env WABOTIFY_WORKSPACE_ID)')
    .option('--force', 'overwrite an existing --out file')
    .option('--diff', 'print a unified diff between the config file and what exists, change nothing')
    .addOption(new Option('--mask', 'with --diff: mask personal data (phone numbers, contact names) in the diff'))
    .addOption(
      new Option(
        '--no-mask',
        'with --diff: print personal data in full, even when the config says privacy: { mask: true }',
      ),
    )
    .addOption(
      new Option(
        '--detailed-exitcode',
        'with --diff: exit 2 when the file and the accounts differ, 0 when they match',
      ).env('CHATSTATE_DETAILED_EXITCODE'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  chatstate export -f chatstate.yaml -o chatstate.yaml --force   # refresh keep lists\n  chatstate export --diff                                         # what changed outside git?\n  GREEN_API_PARTNER_TOKEN=… chatstate export --provider green-api -o chatstate.yaml\n',
    );
  addFormatOption(
    cmd,
    ['text', 'json'],
    'text prints the config (or the diff), json {config | diff, notes, unreadable} for machines',
  );
  addOutOption(cmd);
  addCommonOptions(cmd, {
    config: true,
    concurrency: { help: 'concurrent requests per account', default: '8' },
    verbose: true,
  }).action(async (flags: ExportFlags) => {
    const format = resolveFormat<'text' | 'json'>(flags);
    const common = commonSettings(flags, io);
    const file = resolveConfigFile(flags.file, io.env);
    const fromFile = existsSync(file);
    if (!fromFile && flags.file)
      throw new CliError(
        `cannot read ${file}: it does not exist; to start a new file, leave out -f and pass --provider`,
      );
    if (flags.diff && !fromFile) throw new UsageError(`--diff compares with a config file, and ${file} does not exist`);
    if (flags.detailedExitcode && !flags.diff) throw new UsageError('--detailed-exitcode goes with --diff');
    if (flags.mask === true && !flags.diff)
      throw new UsageError(
        '--mask goes with --diff: an exported config keeps every id and name in full (plan reads it)',
      );
    const text = fromFile ? readFileSync(file, 'utf8') : seedConfig(flags, io.env);
    const source = fromFile ? file : 'chatstate.yaml';
    const desired = parseDesired(source, text, { env: io.env });
    const accounts = fromFile ? selectAccounts(desired, flags.provider, flags.account) : desired.accounts;
    if (accounts.length === 0)
      throw new UsageError(
        `no account in ${file} matches --provider ${flags.provider ?? '*'} --account ${flags.account ?? '*'}`,
      );
    if (flags.out && !flags.diff && existsSync(flags.out) && !flags.force)
      throw new CliError(`${flags.out} exists; pass --force to overwrite it (or --diff to compare)`);

    const http = httpClientFor(common, 16);
    const now = new Date();
    const sessions = connectAll({ accounts }, http, common.concurrency);
    const sessionOf = (a: AccountConfig): AccountSession =>
      sessionFor(sessions, { provider: a.provider, account: a.name })!;
    let exported: ExportedAccount[];
    try {
      info(io, flags, `observing ${accounts.length} account${accounts.length === 1 ? '' : 's'}…`);
      // An existing file: only the collections it manages matter (the rest stays as written).
      exported = await Promise.all(
        accounts.map(async (a) =>
          fromFile
            ? { account: a, collections: await observeAccounts({ ...desired, accounts: [a] }, sessions, { now }) }
            : observeEverything(a, sessionOf(a), now),
        ),
      );
    } finally {
      await http.close();
    }
    const unreadable: { address: string; error: string }[] = [];
    for (const { collections } of exported) {
      for (const c of collections) {
        if (!c.error) continue;
        unreadable.push({ address: c.ref.address, error: redact(c.error.message) });
        writeLine(io.stderr, `chatstate: warning: ${c.ref.address} not exported: ${redact(c.error.message)}`);
      }
    }
    const { text: result, notes } = exportConfig(source, text, exported, fromFile ? { now } : undefined);
    for (const note of notes)
      writeLine(io.stderr, `chatstate: note: ${flags.diff ? resolveMask(flags, desired).text(note) : note}`);
    const mask = resolveMask(flags, desired);
    const diff = flags.diff ? renderConfigDiff(file, text, result, mask) : undefined;
    const printed =
      format === 'json'
        ? `${JSON.stringify({ ...(diff !== undefined ? { diff } : { config: result }), notes, unreadable }, null, 2)}\n`
        : (diff ?? result);
    await withOut(io, flags.out, async (out) => {
      out.stdout.write(printed);
    });
    if (flags.out)
      info(
        io,
        flags,
        `wrote ${flags.out}${unreadable.length > 0 ? ` (${unreadable.length} collection${unreadable.length === 1 ? '' : 's'} could not be read; see above)` : ''}`,
      );
    if (flags.diff && flags.detailedExitcode) {
      if (unreadable.length > 0)
        throw new CliError(
          `${unreadable.length} collection${unreadable.length === 1 ? '' : 's'} could not be read (see above), so whether the file matches is unknown`,
        );
      setExit(result !== text ? ExitCode.changes : ExitCode.ok);
      return;
    }
    setExit(ExitCode.ok);
  });
}
