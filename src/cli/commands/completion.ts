import { Argument, type Command } from 'commander';
import { type CliIo, writeLine } from '../io.js';

interface CommandInfo {
  readonly name: string;
  readonly flags: string[];
}

function describe(program: Command): CommandInfo[] {
  return program.commands.map((c) => ({
    name: c.name(),
    flags: c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))).concat('--help'),
  }));
}

function bash(commands: CommandInfo[]): string {
  const cases = commands.map((c) => `    ${c.name}) opts="${c.flags.join(' ')}" ;;`).join('\n');
  return `# chatstate bash completion: eval "$(chatstate completion bash)"
_chatstate() {
  local cur cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(' ')} --help --version" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -F _chatstate chatstate`;
}

function zsh(commands: CommandInfo[]): string {
  const cases = commands
    .map((c) => `    ${c.name}) _arguments '*:file:_files' ${c.flags.map((f) => `'${f}[]'`).join(' ')} ;;`)
    .join('\n');
  return `#compdef chatstate
# chatstate zsh completion: eval "$(chatstate completion zsh)", or save as _chatstate in your $fpath
_chatstate() {
  local -a commands
  commands=(${commands.map((c) => `'${c.name}'`).join(' ')})
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "$words[2]" in
${cases}
  esac
}
compdef _chatstate chatstate`;
}

export function registerCompletion(program: Command, io: CliIo): void {
  program
    .command('completion')
    .summary('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      '\nExamples:\n  eval "$(chatstate completion bash)"     # in ~/.bashrc\n  eval "$(chatstate completion zsh)"      # in ~/.zshrc\n',
    )
    .action((shell: 'bash' | 'zsh') => {
      const commands = describe(program).filter((c) => c.name !== 'completion');
      writeLine(io.stdout, shell === 'bash' ? bash(commands) : zsh(commands));
    });
}
