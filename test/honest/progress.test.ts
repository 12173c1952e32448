import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/apply/progress.js';
import type { Action } from '../../src/model/action.js';
import { ROOT } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { exampleEnv } from '../helpers/world.js';
import { cli, tempDir } from './cli.js';

const action = (n: number): Action => ({
  address: `wabotify.w/contact.c-${n}`,
  type: 'delete-contact',
  provider: 'wabotify',
  account: 'w',
  collection: 'wabotify.w/contacts',
  target: { id: `c-${n}` },
  reason: 'r',
  warnings: [],
  dependsOn: [],
});

describe('progress tells the truth', () => {
  it('after a resumed apply, the ETA comes from the requests of this run, not from outcomes known up front', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    let out = '';
    stream.on('data', (d: Buffer) => (out += d.toString()));
    let t = 0;
    const p = progressReporter(stream, () => t);
    p.started(200);
    // 100 targets were already gone (re-checked before apply): settled at once, no request.
    for (let i = 0; i < 100; i++)
      p.finished(action(i), { address: action(i).address, outcome: 'already-absent', attempts: 0 });
    // One real request per second since.
    for (let i = 100; i < 110; i++) {
      t += 1000;
      p.finished(action(i), { address: action(i).address, outcome: 'done', attempts: 1 });
    }
    p.done();
    // 90 left at 1/s: 90 s (counting the instant ones as work done at 11/s would have said 9 s).
    expect(out.split('\r\u001b[2K').at(-1)).toBe('applying: 110/200  1.0/s  ETA 90s  0 failed\n');
  });

  it('without a terminal: periodic done/total, rate and ETA, not a line per action; --verbose shows status and latency', async () => {
    const emu = await emulator();
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    const env = exampleEnv(emu.url);
    expect(
      (
        await cli(
          ['plan', '-f', join(ROOT, 'examples', 'chatstate.yaml'), '--save', planFile, '--now', '2026-11-25T12:00:00Z'],
          env,
        )
      ).code,
    ).toBe(0);
    const r = await cli(
      ['apply', planFile, '--verbose', '--journal', join(dir, 'j.jsonl'), '--now', '2026-11-25T12:05:00Z'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/^\[\d+\/14\] done:/m);
    expect(r.stderr).toMatch(/^progress: 14\/14 {2}[\d.]+\/s {2}ETA 0s {2}0 failed$/m);
    expect(r.stderr).toMatch(
      new RegExp(
        `^chatstate: 200 POST ${emu.url.replace(/[.]/g, '\\.')}/waInstance1101000001/deleteContact/\\*\\*\\* in \\d+ ms$`,
        'm',
      ),
    );
    expect(r.stderr).not.toContain('tok-1101000001');
  });
});
