import { Option } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { envText } from '../env-options.js';

/** `-f, --file FILE`, shared by every command that reads a config. */
export const configFileOption = (): Option => new Option('-f, --file <file>', `config file (env CHATSTATE_CONFIG; default ./${DEFAULT_CONFIG_FILE})`);

export function resolveConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? envText(env, 'CHATSTATE_CONFIG') ?? DEFAULT_CONFIG_FILE;
}
