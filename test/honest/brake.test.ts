import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/state.js';
import { emulator } from '../helpers/emulator.js';
import { cli, tempDir, writeConfig } from './cli.js';

const AT = ['--now', '2026-11-25T12:00:00Z'];

/** A small instance: 5 contacts, well below minItems (10). */
const smallWorld = (): EmulatorState => ({
  'green-api': {
    instances: [
      {
        idInstance: 1500000001,
        apiTokenInstance: 'tok-small',
        state: 'authorized',
        wid: '79990000009@c.us',
        contacts: ['Driver Ann', 'Driver Bob', 'Driver Cid', 'Driver Dan', 'Driver Eve'].map((name, i) => ({
          id: `7900000000${i}@c.us`,
          name,
        })),
        groups: [],
      },
    ],
  },
});

const config = (contacts: string) => `version: 1
green-api:
  main:
    apiUrl: \${URL}
    instances:
      1500000001:
        token: \${TOKEN}
        contacts: ${contacts}
`;

describe('safe below the brake', () => {
  it('removing every item of a small collection is refused (exit 3) unless the file or --allow-mass-delete says so', async () => {
    const emu = await emulator({ state: smallWorld() });
    const env = { URL: emu.url, TOKEN: 'tok-small' };
    const dir = tempDir();
    const noKeep = writeConfig(dir, config('{ prune: true }'), 'a.yaml');
    const refused = await cli(['plan', '-f', noKeep, ...AT], env);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain(
      'refusing to remove all 5 contacts of green-api.main/instance.1500000001: nothing the file keeps was observed there',
    );
    expect(refused.stdout).toContain('set allowEmpty: true on this collection');
    expect((await cli(['plan', '-f', noKeep, '--allow-mass-delete', ...AT], env)).code).toBe(0);
    const allowed = writeConfig(dir, config('{ prune: true, allowEmpty: true }'), 'b.yaml');
    const ok = await cli(['plan', '-f', allowed, ...AT], env);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('Plan: 5 to delete (5 restorable).');
    // Removing all but one is the percentage brake's business (off below minItems), not this one.
    expect(
      (
        await cli(
          ['plan', '-f', writeConfig(dir, config('{ prune: true, keep: [ 79000000000 ] }'), 'c.yaml'), ...AT],
          env,
        )
      ).code,
    ).toBe(0);
  });

  it('a keep glob whose case matches nothing is a warning naming the entry and its line, and the brake holds', async () => {
    const emu = await emulator({ state: smallWorld() });
    const file = writeConfig(
      tempDir(),
      config(
        '\n          prune: true\n          keep:\n            - { name: driver * }\n          protect: [ "7000*" ]',
      ),
    );
    const r = await cli(['plan', '-f', file, ...AT], { URL: emu.url, TOKEN: 'tok-small' });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      'green-api.main/instance.1500000001/contacts: keep entry `{name: driver *}` (line 11) matches nothing observed; ignoring case it would match 5 (patterns are case-sensitive)',
    );
    expect(r.stdout).toContain('protect entry `7000*` (line 12) matches nothing observed');
  });

  it('a remove glob that matches nothing is a warning too, and nothing is removed', async () => {
    const emu = await emulator({ state: smallWorld() });
    const file = writeConfig(tempDir(), config('{ remove: [ { name: "Spam *" } ] }'));
    const r = await cli(['plan', '-f', file, '--detailed-exitcode', ...AT], { URL: emu.url, TOKEN: 'tok-small' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('remove entry `{name: Spam *}` (line 8) matches nothing observed');
  });
});
