import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { converge, journalLines, startApply } from '../helpers/apply-process.js';
import { emulator } from '../helpers/emulator.js';
import { expectedAfter, worldAddresses } from '../helpers/snapshot.js';
import { exampleEnv } from '../helpers/world.js';

// The fault run converges in-process (its retries and Retry-After waits on virtual time); the signal
// tests need a real process to kill, and converge in-process afterwards.
describe('apply under faults', () => {
  it('converges under seeded 500/502s, dropped connections and 429s, deleting exactly what the plan listed', async () => {
    const emu = await emulator({ faults: { errorRate: 0.1, dropRate: 0.05, throttleRate: 0.05, seed: 42 } });
    const before = worldAddresses(emu);
    const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-faults-')), 'journal.jsonl');
    const runs = await converge(exampleEnv(emu.url), journal, 4);
    expect(runs).toBeLessThanOrEqual(4);
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
    const faults = emu.requests().filter((q) => q.fault);
    expect(faults.map((q) => q.fault)).toEqual(expect.arrayContaining(['error', 'drop', 'throttle']));
  });

  it('a process killed (SIGKILL) in the middle of an apply converges when started again', async () => {
    const emu = await emulator({ latencyMs: 30 });
    const env = exampleEnv(emu.url);
    const before = worldAddresses(emu);
    const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-kill-')), 'journal.jsonl');
    const running = await startApply(env, journal, 3);
    running.child.kill('SIGKILL');
    expect(await running.exit).toBe(null);
    const done = journalLines(journal);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(14);
    await converge(env, journal, 3);
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
  });

  it('SIGINT stops starting new actions, writes the journal, exits 130; running again converges', async () => {
    const emu = await emulator({ latencyMs: 30 });
    const env = exampleEnv(emu.url);
    const before = worldAddresses(emu);
    const journal = join(mkdtempSync(join(tmpdir(), 'chatstate-int-')), 'journal.jsonl');
    const running = await startApply(env, journal, 2);
    running.child.kill('SIGINT');
    expect(await running.exit).toBe(130);
    expect(running.stdout()).toMatch(
      /^Apply interrupted: \d+ deleted, 0 already absent, 0 failed \(.*\d+ not started\)\. Run apply again to finish\.\n$/m,
    );
    const recorded = journalLines(journal);
    expect(recorded).toBeLessThan(14);
    await converge(env, journal, 3);
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
  });
});
