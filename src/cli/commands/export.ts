import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { parseDesired } from '../../config/load.js';
import { exportConfig, observeEverything, selectAccounts } from '../../engine/export.js';
import { redact } from '../../shared/redact.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { writeLine, type CliIo } from '../io.js';
import { httpClientFor } from './plan-options.js';
import { configFileOption, resolveConfigFile } from './shared-options.js';

interface ExportFlags {
  file?: string;
  provider?: 'green-api' | 'wabotify' | '2chat';
  account?: string;
  workspace?: string;
  output?: string;
  force?: boolean;
  diff?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  concurrency: string;
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
      if (!env['GREEN_API_PARTNER_TOKEN'] && instances.length === 0) throw new UsageError('export --provider green-api needs GREEN_API_PARTNER_TOKEN, or GREEN_API_INSTANCES=id,id with GREEN_API_TOKEN_<id> for each');
      lines.push('green-api:', `  ${name}:`, '    apiUrl: ${GREEN_API_URL:-https://api.green-api.com}');
      if (env['GREEN_API_PARTNER_TOKEN']) lines.push('    partner:', '      token: ${GREEN_API_PARTNER_TOKEN}');
      if (instances.length > 0) lines.push('    instances:', ...instances.flatMap((id) => [`      ${id}:`, `        token: \${GREEN_API_TOKEN_${id}}`]));
      break;
    }
    case 'wabotify': {
      const workspace = flags.workspace ?? env['WABOTIFY_WORKSPACE_ID'];
      if (!workspace) throw new UsageError('export --provider wabotify needs --workspace ID (or WABOTIFY_WORKSPACE_ID)');
      lines.push('wabotify:', `  ${name}:`, `    workspaceId: ${JSON.stringify(workspace)}`, '    apiKey: ${WABOTIFY_API_KEY}', '    apiUrl: ${WABOTIFY_URL:-https://api.wabotify.com}');
      break;
    }
    case '2chat':
      lines.push('2chat:', `  ${name}:`, '    apiKey: ${TWOCHAT_API_KEY}', '    apiUrl: ${TWOCHAT_URL:-https://api.p.2chat.io/open}');
      break;
    default:
      throw new UsageError('no config file to start from: pass -f FILE, or --provider green-api|wabotify|2chat (credentials from the environment)');
  }
  return `${lines.join('\n')}\n`;
}

export function registerExport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('export')
    .summary('write a chatstate.yaml that keeps everything that exists now')
    .description(
      'Observes every account the config names (or one account given by --provider and environment credentials) and writes a canonical config with `prune: true` and full keep lists, names as comments, so that a plan right after export shows no changes. Everything else in the file is kept as written. 2Chat messages are a retention policy and are not exported.',
    )
    .addOption(configFileOption())
    .addOption(new Option('--provider <provider>', 'only this provider (or, without a config file, the provider to start from)').choices(['green-api', 'wabotify', '2chat']))
    .option('--account <name>', 'only this account (the account name in a new file; default main)')
    .option('--workspace <id>', 'Wabotify workspace id for a new file (env WABOTIFY_WORKSPACE_ID)')
    .addOption(new Option('-o, --output <file>', 'write here instead of standard output').env('CHATSTATE_EXPORT_OUTPUT'))
    .option('--force', 'overwrite an existing --output file')
    .option('--diff', 'print a unified diff between the config file and what exists, change nothing')
    .addOption(new Option('--concurrency <n>', 'concurrent requests per account').default('8'))
    .addOption(new Option('-v, --verbose', 'log every request (secrets redacted)').env('CHATSTATE_VERBOSE'))
    .addOption(new Option('-q, --quiet', 'no information on stderr (warnings still)').env('CHATSTATE_QUIET'))
    .addHelpText('after', '\nExamples:\n  chatstate export -f chatstate.yaml -o chatstate.yaml --force   # refresh keep lists\n  chatstate export --diff                                         # what changed outside git?\n  GREEN_API_PARTNER_TOKEN=… chatstate export --provider green-api -o chatstate.yaml\n')
    .action(async (flags: ExportFlags) => {
      const file = resolveConfigFile(flags.file, io.env);
      const fromFile = existsSync(file);
      if (!fromFile && flags.file) throw new CliError(`cannot read ${file}: it does not exist; to start a new file, leave out -f and pass --provider`);
      if (flags.diff && !fromFile) throw new UsageError(`--diff compares with a config file, and ${file} does not exist`);
      const text = fromFile ? readFileSync(file, 'utf8') : seedConfig(flags, io.env);
      const source = fromFile ? file : 'chatstate.yaml';
      const desired = parseDesired(source, text, { env: io.env });
      const accounts = fromFile ? selectAccounts(desired, flags.provider, flags.account) : desired.accounts;
      if (accounts.length === 0) throw new UsageError(`no account in ${file} matches --provider ${flags.provider ?? '*'} --account ${flags.account ?? '*'}`);
      if (flags.output && !flags.diff && existsSync(flags.output) && !flags.force) throw new CliError(`${flags.output} exists; pass --force to overwrite it (or --diff to compare)`);

      const http = httpClientFor({ target: [], concurrency: flags.concurrency, validFor: '1h', ...(flags.verbose ? { verbose: true } : {}) }, io, 16);
      const now = new Date();
      let exported;
      try {
        if (!flags.quiet) writeLine(io.stderr, `chatstate: observing ${accounts.length} account${accounts.length === 1 ? '' : 's'}…`);
        exported = await Promise.all(accounts.map((a) => observeEverything(a, http, now, Number(flags.concurrency) || 8)));
      } finally {
        await http.close();
      }
      let unreadable = 0;
      for (const { collections } of exported) {
        for (const c of collections) {
          if (!c.error) continue;
          unreadable++;
          writeLine(io.stderr, `chatstate: warning: ${c.ref.address} not exported: ${redact(c.error.message)}`);
        }
      }
      const { text: result, notes } = exportConfig(source, text, exported);
      for (const note of notes) writeLine(io.stderr, `chatstate: note: ${note}`);
      if (flags.diff) {
        io.stdout.write(createTwoFilesPatch(file, file, text, result, 'config', 'what exists (chatstate export)'));
      } else if (flags.output) {
        writeFileSync(flags.output, result);
        if (!flags.quiet) writeLine(io.stderr, `chatstate: wrote ${flags.output}${unreadable > 0 ? ` (${unreadable} collection${unreadable === 1 ? '' : 's'} could not be read; see above)` : ''}`);
      } else io.stdout.write(result);
      setExit(ExitCode.ok);
    });
}
