import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/apply/progress.js';
import { countOutcomes } from '../../src/apply/summary.js';
import type { Action } from '../../src/model/action.js';
import { applySummary } from '../../src/render/apply-report.js';

const action = (n: number, type: Action['type'] = 'delete-contact'): Action => ({
  address: `wabotify.w/contact.c-${n}`,
  type,
  provider: 'wabotify',
  account: 'w',
  collection: 'wabotify.w/contacts',
  target: { id: `c-${n}` },
  reason: 'r',
  warnings: [],
  dependsOn: [],
});

function capture(tty: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY: tty });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  return { stream, out: () => out };
}

describe('progress', () => {
  it('on a terminal: one live line with done/total, rate, ETA and failures', () => {
    const c = capture(true);
    let t = 0;
    const p = progressReporter(c.stream, () => t);
    p.started(4);
    for (let i = 1; i <= 4; i++) {
      t += 500;
      p.finished(action(i), { address: action(i).address, outcome: i === 3 ? 'failed' : 'done', attempts: 1 });
    }
    p.done();
    expect(c.out()).toContain('\r\u001b[2Kapplying: 4/4  2.0/s  ETA 0s  1 failed');
    expect(c.out().endsWith('\n')).toBe(true);
  });

  it('in CI: failures on their own line, progress at intervals, not a line per action (issue 15)', () => {
    const c = capture(false);
    let t = 0;
    const p = progressReporter(c.stream, () => t);
    p.started(2);
    t += 1000;
    p.finished(action(1), { address: action(1).address, outcome: 'done', attempts: 1, status: 200 });
    p.finished(action(2), {
      address: action(2).address,
      outcome: 'failed',
      attempts: 3,
      status: 500,
      detail: 'gave up',
    });
    expect(c.out()).toBe('[2/2] failed: delete-contact wabotify.w/contact.c-2 (HTTP 500; 3 attempts; gave up)\n');
    p.done();
    expect(c.out().split('\n').at(-2)).toBe('progress: 2/2  2.0/s  ETA 0s  1 failed');
  });

  it('summarises outcomes in the documented sentence', () => {
    const actions = [action(1), action(2), action(3), action(4, 'logout-instance'), action(5)];
    const outcomes = new Map([
      ['delete-contact:wabotify.w/contact.c-1', { address: '', outcome: 'done' as const, attempts: 1 }],
      ['delete-contact:wabotify.w/contact.c-2', { address: '', outcome: 'already-absent' as const, attempts: 1 }],
      ['delete-contact:wabotify.w/contact.c-3', { address: '', outcome: 'failed' as const, attempts: 1 }],
      ['logout-instance:wabotify.w/contact.c-4', { address: '', outcome: 'done' as const, attempts: 1 }],
    ]);
    expect(applySummary(countOutcomes(actions, outcomes), false)).toBe(
      'Apply complete: 1 deleted, 1 already absent, 1 failed (1 logged out, 1 not started).',
    );
    expect(applySummary(countOutcomes(actions, outcomes), true)).toMatch(
      /^Apply interrupted: .* Run apply again to finish\.$/,
    );
  });
});
