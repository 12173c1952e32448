import type { Command } from 'commander';
import { Option } from 'commander';
import { startEmulator } from '../../emulator/server.js';
import { loadEmulatorState } from '../../emulator/state.js';
import { parseRate, type RateLimit } from '../../shared/token-bucket.js';
import { UsageError } from '../errors.js';
import { type CliIo, writeLine } from '../io.js';

interface EmulatorCommandOptions {
  state: string;
  port: string;
  latencyMs: string;
  errorRate: string;
  dropRate: string;
  throttleRate: string;
  seed: string;
  rateLimit: string[];
  now?: string;
}

export function registerEmulator(program: Command, io: CliIo, onStarted: (stop: () => Promise<void>) => void): void {
  program
    .command('emulator')
    .summary('serve the GREEN-API, Wabotify and 2Chat wire formats locally, from a state file')
    .description(
      [
        'Starts one HTTP server on 127.0.0.1 that speaks all three providers (GREEN-API instance and',
        'partner paths, Wabotify /api/..., 2Chat /open/...), seeded from a state file, with the',
        "providers' quirks, auth checks and rate limits, and seeded faults for testing.",
        '\nThe first line on stdout is `listening on http://127.0.0.1:PORT`. Ctrl-C stops it.',
      ].join(' '),
    )
    .requiredOption('--state <file>', 'YAML or JSON world (schemas/emulator-state.schema.json)')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--latency-ms <n>', 'added to every response', '0')
    .option('--error-rate <f>', 'share of requests answered 500/502 (0..1)', '0')
    .option('--drop-rate <f>', 'share of requests processed, then cut off mid-response (0..1)', '0')
    .option('--throttle-rate <f>', 'share of requests answered 429 with Retry-After (0..1)', '0')
    .option('--seed <n>', 'seed for all injected faults: the same seed repeats the same faults', '1')
    .addOption(
      new Option('--rate-limit <name=rate>', 'override a limit: METHOD=N/s, 2chat=N/m, *=N/s, or NAME=off (repeatable)')
        .argParser((v: string, prev: string[] = []) => [...prev, v])
        .default([]),
    )
    .option('--now <iso>', "fix the emulator's clock (2Chat's 60-hour rule)")
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  chatstate emulator --state examples/emulator-state.yaml --port 8080',
        '  chatstate emulator --state world.yaml --error-rate 0.1 --drop-rate 0.02 --seed 7',
        '  chatstate emulator --state world.yaml --rate-limit deleteContact=50/s --rate-limit 2chat=600/m',
        '',
        'Inspect it with GET /__emulator/state, GET /__emulator/requests, POST /__emulator/reset.',
      ].join('\n'),
    )
    .action(async (opts: EmulatorCommandOptions) => {
      const state = loadEmulatorState(opts.state);
      const now = opts.now;
      if (now !== undefined && Number.isNaN(Date.parse(now)))
        throw new UsageError(`--now must be an ISO time, got ${JSON.stringify(now)}`);
      const emulator = await startEmulator({
        state,
        port: integer('--port', opts.port, 0, 65535),
        latencyMs: integer('--latency-ms', opts.latencyMs, 0, 600_000),
        faults: {
          errorRate: fraction('--error-rate', opts.errorRate),
          dropRate: fraction('--drop-rate', opts.dropRate),
          throttleRate: fraction('--throttle-rate', opts.throttleRate),
          seed: integer('--seed', opts.seed, 0, 2 ** 31 - 1),
        },
        rateLimits: parseRateLimits(opts.rateLimit),
        ...(now !== undefined ? { now } : {}),
      });
      writeLine(io.stdout, `listening on ${emulator.url}`);
      const w = emulator.world();
      writeLine(
        io.stderr,
        `emulator: ${w.instances.size} GREEN-API instances, ${w.partners.size} partner accounts, ${w.workspaces.size} Wabotify workspaces, ${w.twoChat.size} 2Chat accounts (Ctrl-C to stop)`,
      );
      onStarted(() => emulator.stop());
    });
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

function fraction(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n) || n < 0 || n > 1)
    throw new UsageError(`${flag} must be a number from 0 to 1, got ${JSON.stringify(text)}`);
  return n;
}

function parseRateLimits(specs: readonly string[]): Record<string, RateLimit | 'off'> {
  const out: Record<string, RateLimit | 'off'> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq).trim();
    const rate = eq > 0 ? parseRate(spec.slice(eq + 1)) : undefined;
    if (!name || rate === undefined)
      throw new UsageError(
        `--rate-limit takes NAME=N/s, NAME=N/m or NAME=off (e.g. deleteContact=10/s), got ${JSON.stringify(spec)}`,
      );
    out[name] = rate;
  }
  return out;
}
