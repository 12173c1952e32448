import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadDesired } from '../../config/load.js';
import { startEmulator } from '../../emulator/server.js';
import { loadEmulatorState } from '../../emulator/state.js';
import type { CliIo } from '../io.js';
import { addFormatOption, addOutOption, info } from '../options.js';
import { PACKAGE_ROOT } from '../version.js';
import { PLAN_FORMAT_HELP, PLAN_FORMATS, type PlanCommandFlags, runPlan, saveOption } from './plan.js';
import { addPlanOptions } from './plan-options.js';

/** The example world's credentials: fake ones that only the bundled emulator knows. */
const DEMO_SECRETS = {
  GREEN_API_PARTNER_TOKEN: 'gac.partner-1',
  GREEN_API_TOKEN_1101000001: 'tok-1101000001',
  WABOTIFY_API_KEY: 'wab-key-1',
  TWOCHAT_API_KEY: 'UAK-1',
};

export function registerDemo(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('demo')
    .summary('plan the bundled example against the bundled provider emulator')
    .description(
      'Starts the provider emulator in-process on 127.0.0.1 with examples/emulator-state.yaml, and runs `chatstate plan` on examples/chatstate.yaml against it: a real plan over real HTTP, no account needed. Nothing leaves this machine.',
    );
  addFormatOption(cmd, PLAN_FORMATS, PLAN_FORMAT_HELP);
  addOutOption(cmd).addOption(saveOption());
  addPlanOptions(cmd, undefined, false).action(async (flags: PlanCommandFlags) => {
    const stateFile = fileURLToPath(new URL('examples/emulator-state.yaml', PACKAGE_ROOT));
    const configFile = relative(process.cwd(), fileURLToPath(new URL('examples/chatstate.yaml', PACKAGE_ROOT)));
    const state = loadEmulatorState(stateFile);
    // One pacing clock for both sides: the emulator's limits refill on the time the client waits by.
    const timers = io.timers;
    const emu = await startEmulator({ state, ...(timers ? { limiterClock: () => timers.now() } : {}) });
    try {
      info(io, flags, `demo: emulator listening on ${emu.url} with ${relative(process.cwd(), stateFile)}`);
      const env = { ...DEMO_SECRETS, GREEN_API_URL: emu.url, WABOTIFY_URL: emu.url, TWOCHAT_URL: `${emu.url}/open` };
      const desired = loadDesired(configFile, { env });
      // The example world has a fixed clock: plan at the same time so the 60-hour rule reads as written.
      const now = flags.now ?? state.now;
      setExit(await runPlan(desired, { ...flags, ...(now ? { now } : {}) }, io));
    } finally {
      await emu.stop();
    }
  });
}
