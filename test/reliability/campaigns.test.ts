import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeActions } from '../../src/apply/execute-actions.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { HttpClient } from '../../src/http/client.js';
import { AT, converge, EXAMPLE_CONFIG, journalLines } from '../helpers/apply-process.js';
import { CLI, ROOT } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { prng } from '../helpers/prng.js';
import { expectedAfter, worldAddresses } from '../helpers/snapshot.js';
import { EXAMPLE_NOW, exampleDesired, exampleEnv, fakeTime } from '../helpers/world.js';

const FULL = process.env['RELIABILITY_FULL'] === '1';
const FAULT_RUNS = FULL ? 100 : 20;
const CRASH_RUNS = FULL ? 20 : 2;
const MAX_APPLIES = 4;
/** The long form runs for minutes: give each campaign room (the bounded form stays well inside). */
const TIMEOUT = FULL ? 900_000 : 120_000;

describe('fault campaign', () => {
  it(
    `${FAULT_RUNS} seeded applies under mixed faults converge and delete exactly what the plan listed`,
    async () => {
      let faults = 0;
      let requests = 0;
      let appliesTotal = 0;
      let worst = 0;
      for (let seed = 1; seed <= FAULT_RUNS; seed++) {
        const emu = await emulator({
          faults: { errorRate: 0.1, dropRate: 0.05, throttleRate: 0.05, spikeRate: 0.05, spikeMs: 30, seed },
        });
        const before = worldAddresses(emu);
        const expected = expectedAfter(before);
        const desired = exampleDesired(emu.url);
        const time = fakeTime();
        const http = new HttpClient({ now: time.now, sleep: time.sleep, connections: 8 });
        let applies = 0;
        try {
          for (;;) {
            const { plan, sessions } = await makePlan(desired, {
              http,
              now: EXAMPLE_NOW,
              validForMs: 86_400_000,
              targets: [],
              allowMassDelete: false,
              concurrency: 4,
              toolVersion: 'campaign',
            });
            if (plan.errors.length === 0 && plan.actions.length === 0) break;
            expect(applies, `seed ${seed} did not converge in ${MAX_APPLIES} applies`).toBeLessThan(MAX_APPLIES);
            applies++;
            if (plan.errors.length > 0) continue; // an observation failed: nothing planned from it; try again
            await executeActions(plan.actions, { sessions, concurrency: 8, onOutcome: () => undefined });
            // Never more than the plan: everything expected to stay is still there after each apply.
            const now = new Set(worldAddresses(emu));
            for (const a of expected) expect(now.has(a), `seed ${seed}: ${a} was deleted`).toBe(true);
          }
        } finally {
          await http.close();
        }
        expect(worldAddresses(emu), `seed ${seed}`).toEqual(expected);
        faults += emu.requests().filter((q) => q.fault).length;
        requests += emu.requests().length;
        appliesTotal += applies;
        worst = Math.max(worst, applies);
        await emu.stop();
      }
      console.log(
        `fault campaign: ${FAULT_RUNS}/${FAULT_RUNS} runs converged; ${faults} faults injected in ${requests} requests; applies per run: mean ${(appliesTotal / FAULT_RUNS).toFixed(2)}, max ${worst}`,
      );
    },
    TIMEOUT,
  );
});

describe('crash campaign', () => {
  it(
    `${CRASH_RUNS} applies killed with SIGKILL at random points converge when run again`,
    async () => {
      const r = prng(7);
      const killedAt: number[] = [];
      for (let run = 0; run < CRASH_RUNS; run++) {
        const emu = await emulator({ latencyMs: 20 });
        const env = exampleEnv(emu.url);
        const before = worldAddresses(emu);
        const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-crash-')), 'journal.jsonl');
        const at = 1 + Math.floor(r() * 12);
        const child = spawn(
          process.execPath,
          [CLI, 'apply', '-f', EXAMPLE_CONFIG, '--auto-approve', '--journal', journal, ...AT],
          {
            cwd: ROOT,
            env: { PATH: process.env['PATH'], NO_COLOR: '1', ...env },
            stdio: 'ignore',
          },
        );
        const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
        for (let waited = 0; journalLines(journal) < at && child.exitCode === null && waited < 30_000; waited += 10)
          await new Promise((res) => setTimeout(res, 10));
        child.kill('SIGKILL');
        await exited;
        killedAt.push(journalLines(journal));
        await converge(env, journal, 3);
        expect(worldAddresses(emu)).toEqual(expectedAfter(before));
        await emu.stop();
      }
      console.log(
        `crash campaign: ${CRASH_RUNS}/${CRASH_RUNS} converged; killed after ${killedAt.join(', ')} journaled outcomes`,
      );
    },
    TIMEOUT,
  );
});
