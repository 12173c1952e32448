import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';
import { exampleEnv } from '../helpers/world.js';

const CONFIG = join(ROOT, 'examples', 'chatstate.yaml');
const PLAN_AT = ['--now', '2026-11-25T12:00:00Z'];

describe('a saved plan expires by the real clock; bad paths end with plain errors (issue 12)', () => {
  it('the hidden apply --now cannot apply an expired plan', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-clock-'));
    const planFile = join(dir, 'plan.json');
    expect((await runCliInProcess(['plan', '-f', CONFIG, '--save', planFile, ...PLAN_AT], env)).code).toBe(0);
    const sent = emu.requests().length;
    // Two days later by the real clock; --now pretends it is five minutes after the plan.
    const r = await runCliInProcess(
      ['apply', planFile, '--journal', join(dir, 'j.jsonl'), '--now', '2026-11-25T12:05:00Z'],
      env,
      { clock: () => new Date('2026-11-27T12:00:00Z') },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the plan expired at 2026-11-26T12:00:00.000Z; run plan again');
    expect(emu.requests()).toHaveLength(sent);
  });

  it('plan --save under a path that is a file: a plain error, no stack trace', async () => {
    const emu = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-paths-'));
    writeFileSync(join(dir, 'a-file'), 'x');
    const target = join(dir, 'a-file', 'sub', 'plan.json');
    const r = await runCliInProcess(['plan', '-f', CONFIG, '--save', target, ...PLAN_AT], exampleEnv(emu.url));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`chatstate: cannot create a directory for ${join(dir, 'a-file', 'sub')}: `);
    expect(r.stderr).toContain('(a part of the path is a file, not a directory)');
  });
});
