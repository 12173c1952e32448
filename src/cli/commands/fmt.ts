import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { formatConfig } from '../../config/format.js';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { SourceError } from '../../shared/source-error.js';
import { ExitCode } from '../errors.js';
import { type CliIo, writeLine } from '../io.js';
import { addFormatOption, type CommonFlags, resolveFormat } from '../options.js';

interface FmtOptions extends CommonFlags {
  check?: boolean;
}

export function registerFmt(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('fmt')
    .summary('rewrite config files in canonical form')
    .description(
      'Puts keys in canonical order and sorts account names, instance ids and keep/remove/protect lists, keeping comments, so that pull-request diffs stay minimal. Prints the names of the files it changed.',
    )
    .argument('[files...]', `config files (default ./${DEFAULT_CONFIG_FILE})`)
    .option('--check', 'change nothing; print a unified diff and exit 1 if a file is not canonical')
    .addHelpText('after', '\nExamples:\n  chatstate fmt\n  chatstate fmt --check chatstate.yaml   # in CI\n');
  addFormatOption(
    cmd,
    ['text', 'json'],
    'text for people, json for machines ({files: [{file, canonical, rewritten}]})',
  ).action((files: string[], flags: FmtOptions) => {
    const opts = { ...flags, format: resolveFormat<'text' | 'json'>(flags) };
    let different = false;
    const report: { file: string; canonical: boolean; rewritten: boolean }[] = [];
    for (const file of files.length > 0 ? files : [DEFAULT_CONFIG_FILE]) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new SourceError([
          { file, line: 1, col: 1, message: `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})` },
        ]);
      }
      const formatted = formatConfig(file, text);
      report.push({ file, canonical: formatted === text, rewritten: formatted !== text && !opts.check });
      if (formatted === text) continue;
      different = true;
      if (!opts.check) writeFileSync(file, formatted);
      if (opts.format === 'json') continue;
      if (opts.check)
        io.stdout.write(createTwoFilesPatch(file, file, text, formatted, 'current', 'canonical (chatstate fmt)'));
      else writeLine(io.stdout, file);
    }
    if (opts.format === 'json') writeLine(io.stdout, JSON.stringify({ files: report }, null, 2));
    setExit(opts.check && different ? ExitCode.error : ExitCode.ok);
  });
}
