import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeActions } from '../../src/apply/execute-actions.js';
import { Journal, JournalError } from '../../src/apply/journal.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { ROOT } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';
import { worldAddresses } from '../helpers/snapshot.js';
import { EXAMPLE_NOW, exampleDesired, exampleEnv, testClient } from '../helpers/world.js';

const CONFIG = join(ROOT, 'examples', 'chatstate.yaml');
const AT = ['--now', '2026-11-25T12:00:00Z'];

const cli = (argv: string[], env: Record<string, string>) => runCliInProcess(argv, env);

const mutating = (emu: Awaited<ReturnType<typeof emulator>>) =>
  emu.requests().filter((q) => q.method !== 'GET' && q.operation !== 'getGroupData');
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('the journal is written before each request (issue 12, point 7)', () => {
  it('a journal on a full disk (/dev/full): nothing is sent, a plain error and the summary', async () => {
    const emu = await emulator();
    const before = worldAddresses(emu);
    const r = await cli(
      ['apply', '-f', CONFIG, '--auto-approve', '--journal', '/dev/full', ...AT],
      exampleEnv(emu.url),
    );
    expect(r.code).toBe(1);
    expect(mutating(emu)).toEqual([]);
    expect(worldAddresses(emu)).toEqual(before);
    expect(r.stdout).toContain('Apply interrupted: 0 deleted, 0 already absent, 0 failed (14 not started).');
    expect(r.stderr).toContain(
      'chatstate: cannot write the journal /dev/full: ENOSPC (no space left on the device); stopped: nothing more was sent',
    );
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('a write that fails mid-apply: every request sent has its line, nothing is sent after the failure', async () => {
    const emu = await emulator();
    const http = testClient();
    try {
      const { plan, sessions } = await makePlan(exampleDesired(emu.url), {
        http,
        now: EXAMPLE_NOW,
        validForMs: 3_600_000,
        targets: [],
        allowMassDelete: false,
        concurrency: 4,
        toolVersion: 'test',
      });
      const file = join(mkdtempSync(join(tmpdir(), 'chatstate-journal-')), 'j.jsonl');
      let writes = 0;
      const written: string[] = [];
      const journal = new Journal(
        file,
        'run-1',
        () => EXAMPLE_NOW,
        (_fd, text) => {
          if (++writes > 5) throw enospc();
          written.push(text);
        },
      );
      const result = await executeActions(plan.actions, {
        sessions,
        concurrency: 1,
        beforeSend: (a) => journal.sending(a),
        onOutcome: (a, o) => journal.record(a, o),
      });
      expect(result.halted).toBeInstanceOf(JournalError);
      expect(result.halted!.message).toBe(`cannot write the journal ${file}: ENOSPC (no space left on the device)`);
      const sendingWrites = written.filter((t) => t.includes('"event":"sending"')).length;
      // One request per successful `sending` write; none after the failing write.
      expect(mutating(emu)).toHaveLength(sendingWrites);
      expect(sendingWrites).toBeGreaterThan(0);
      expect(result.outcomes.size).toBeLessThan(plan.actions.length);
    } finally {
      await http.close();
    }
  });

  it('a journal without a trailing newline is appended to on a line of its own', async () => {
    const emu = await emulator();
    const file = join(mkdtempSync(join(tmpdir(), 'chatstate-journal-')), 'j.jsonl');
    writeFileSync(
      file,
      '{"time":"2026-11-24T00:00:00.000Z","run":"old","event":"outcome","address":"x","type":"delete-contact","outcome":"done","attempts":1}',
    );
    const r = await cli(['apply', '-f', CONFIG, '--auto-approve', '--journal', file, ...AT], exampleEnv(emu.url));
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines[0]).toContain('"run":"old"');
    expect(lines.length).toBe(1 + 14 + 14);
  });

  it('--journal under a path that is a file: a plain error, nothing sent', async () => {
    const emu = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-journal-'));
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await cli(
      ['apply', '-f', CONFIG, '--auto-approve', '--journal', join(dir, 'a-file', 'j.jsonl'), ...AT],
      exampleEnv(emu.url),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `chatstate: cannot open the journal ${join(dir, 'a-file', 'j.jsonl')}: EEXIST (a part of the path is a file, not a directory); nothing was sent.`,
    );
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(mutating(emu)).toEqual([]);
  });
});
