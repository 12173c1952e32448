import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCliInProcess } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { worldAddresses } from '../helpers/snapshot.js';
import { exampleEnv } from '../helpers/world.js';

const CONFIG = join(ROOT, 'examples', 'chatstate.yaml');
const AT = ['--now', '2026-11-25T12:00:00Z'];

describe('yes/no CHATSTATE_* variables (issue 12, point 1)', () => {
  it('false turns nothing on: apply without a terminal refuses, the brake holds, nothing is deleted', async () => {
    const emu = await emulator();
    const before = worldAddresses(emu);
    const env = {
      ...exampleEnv(emu.url),
      CHATSTATE_ALLOW_MASS_DELETE: 'false',
      CHATSTATE_AUTO_APPROVE: 'false',
      CHATSTATE_DRY_RUN: '0',
    };
    const r = await runCliInProcess(['apply', '-f', CONFIG, ...AT], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no terminal to confirm on');
    expect(worldAddresses(emu)).toEqual(before);
    expect(emu.requests().some((q) => q.method !== 'GET' && q.operation !== 'getGroupData')).toBe(false);
  });

  it('CHATSTATE_ALLOW_MASS_DELETE=false keeps the brake on', async () => {
    const emu = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-env-'));
    const config = join(dir, 'chatstate.yaml');
    writeFileSync(config, readFileSync(CONFIG, 'utf8').replace(/keep:\n(\s+- .*\n)+/, 'keep: []\n'));
    const r = await runCliInProcess(['plan', '-f', config, ...AT], {
      env: { ...exampleEnv(emu.url), CHATSTATE_ALLOW_MASS_DELETE: 'false' },
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/refusing to remove 1[34] of 14 contacts/);
  });

  it('an empty value is off too', async () => {
    const emu = await emulator();
    const before = worldAddresses(emu);
    const r = await runCliInProcess(['apply', '-f', CONFIG, ...AT], {
      env: { ...exampleEnv(emu.url), CHATSTATE_AUTO_APPROVE: '' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no terminal to confirm on');
    expect(worldAddresses(emu)).toEqual(before);
  });

  it('true and 1 turn an option on', async () => {
    const emu = await emulator();
    const r = await runCliInProcess(['apply', '-f', CONFIG, ...AT], {
      env: { ...exampleEnv(emu.url), CHATSTATE_AUTO_APPROVE: '1', CHATSTATE_DRY_RUN: 'true' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: 13 requests would be sent');
  });

  it.each([
    ['CHATSTATE_AUTO_APPROVE', 'no'],
    ['CHATSTATE_ALLOW_MASS_DELETE', 'off'],
    ['CHATSTATE_DRY_RUN', 'yes'],
    ['CHATSTATE_QUIET', 'TRUE'],
    ['CHATSTATE_VERBOSE', ' 1'],
    ['CHATSTATE_DETAILED_EXITCODE', '2'],
  ])('%s=%j is refused with an error naming the variable, before anything is observed', async (name, value) => {
    const emu = await emulator();
    const command = name === 'CHATSTATE_DETAILED_EXITCODE' ? 'plan' : 'apply';
    const r = await runCliInProcess([command, '-f', CONFIG, ...AT], { env: { ...exampleEnv(emu.url), [name]: value } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `environment variable ${name} is ${JSON.stringify(value)}; a yes/no variable takes true or 1 (on), false, 0 or empty (off)`,
    );
    expect(r.stderr).not.toContain('internal error');
    expect(emu.requests()).toEqual([]);
  });

  it('an empty CHATSTATE_CONFIG means the default file, not the file ""', async () => {
    const r = await runCliInProcess(['validate'], { env: { CHATSTATE_CONFIG: '' }, cwd: join(ROOT, 'examples') });
    expect(r.stderr).not.toContain(':1:1: error: no such file; create it');
    expect(r.stdout + r.stderr).toContain('chatstate.yaml');
  });
});
