import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendJournalEntry, Journal, JournalError, recentDeletions } from '../../src/apply/journal.js';
import type { Action } from '../../src/model/action.js';
import { removedFromJournal } from '../../src/restore/archive.js';

/**
 * The apply journal (apply/journal.ts) and what reads it back (recentDeletions; restore's
 * removedFromJournal): exact lines, redaction, a file left without its last newline, write failures.
 */

const dir = mkdtempSync(join(tmpdir(), 'chatstate-unit-journal-'));
let n = 0;
const fresh = (): string => join(dir, `journal-${++n}.jsonl`);
const I = 'green-api.main/instance.1101000001';
const TOKEN = '0123456789abcdef0123456789abcdef0123456789abcdef00';

const clock = (iso = '2026-11-25T12:00:00.000Z') => {
  let t = Date.parse(iso);
  return () => new Date((t += 1000));
};

function contact(id: string, extra: Partial<Action['target']> = {}): Action {
  return {
    address: `${I}/contact.${id}`,
    type: 'delete-contact',
    provider: 'green-api',
    account: 'main',
    collection: `${I}/contacts`,
    target: { id, instance: '1101000001', name: 'Ann', ...extra },
    reason: 'not kept (prune: true)',
    warnings: [],
    dependsOn: [],
    reversible: true,
  };
}
const group: Action = {
  address: `${I}/group.120363000000000001@g.us`,
  type: 'leave-group',
  provider: 'green-api',
  account: 'main',
  collection: `${I}/groups`,
  target: { id: '120363000000000001@g.us', instance: '1101000001', name: 'Promo' },
  reason: 'remove: 120363000000000001@g.us',
  warnings: [],
  dependsOn: [],
  reversible: false,
};

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('the journal: a sending line before each request, an outcome line after', () => {
  it('writes exact lines: the archive record on `sending`, status and a redacted error on `outcome`', () => {
    const file = fresh();
    const j = new Journal(file, 'run-1', clock());
    const a = contact('79000000001@c.us', { phone: '79000000001', firstName: 'Ann', lastName: 'Lee' });
    j.sending([a, group]);
    j.record(a, { address: a.address, outcome: 'done', attempts: 1, status: 200 });
    j.record(group, {
      address: group.address,
      outcome: 'failed',
      attempts: 3,
      status: 500,
      detail: `POST http://127.0.0.1:9/waInstance1101000001/leaveGroup/${TOKEN} answered 500`,
    });
    j.close();
    expect(lines(file).map((l) => JSON.parse(l))).toEqual([
      {
        time: '2026-11-25T12:00:01.000Z',
        run: 'run-1',
        event: 'sending',
        address: a.address,
        type: 'delete-contact',
        target: a.target,
        archive: {
          address: a.address,
          collection: `${I}/contacts`,
          provider: 'green-api',
          account: 'main',
          action: 'delete-contact',
          id: '79000000001@c.us',
          name: 'Ann',
          phone: '79000000001',
          instance: '1101000001',
          firstName: 'Ann',
          lastName: 'Lee',
          reversible: true,
        },
      },
      {
        time: '2026-11-25T12:00:01.000Z',
        run: 'run-1',
        event: 'sending',
        address: group.address,
        type: 'leave-group',
        target: group.target,
        archive: {
          address: group.address,
          collection: `${I}/groups`,
          provider: 'green-api',
          account: 'main',
          action: 'leave-group',
          id: '120363000000000001@g.us',
          name: 'Promo',
          instance: '1101000001',
          reversible: false,
        },
      },
      {
        time: '2026-11-25T12:00:02.000Z',
        run: 'run-1',
        event: 'outcome',
        address: a.address,
        type: 'delete-contact',
        outcome: 'done',
        attempts: 1,
        status: 200,
      },
      {
        time: '2026-11-25T12:00:03.000Z',
        run: 'run-1',
        event: 'outcome',
        address: group.address,
        type: 'leave-group',
        outcome: 'failed',
        attempts: 3,
        status: 500,
        error: 'POST http://127.0.0.1:9/waInstance1101000001/leaveGroup/*** answered 500',
      },
    ]);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('appends to an existing journal; one left without its last newline gets one first', () => {
    const file = fresh();
    writeFileSync(
      file,
      '{"event":"outcome","address":"x","outcome":"done","time":"2026-01-01T00:00:00Z"}\n{"event":"sen',
    );
    const j = new Journal(file, 'run-2', clock());
    j.record(contact('79000000001@c.us'), { address: 'y', outcome: 'done', attempts: 1 });
    j.close();
    const text = readFileSync(file, 'utf8').split('\n');
    expect(text[1]).toBe('{"event":"sen');
    expect(JSON.parse(text[2]!)).toMatchObject({ run: 'run-2', event: 'outcome', outcome: 'done' });
    expect(text).toHaveLength(4);
    expect(text[3]).toBe('');
    // An empty or newline-terminated journal gets no blank line.
    const empty = fresh();
    writeFileSync(empty, '');
    new Journal(empty, 'r', clock()).close();
    expect(readFileSync(empty, 'utf8')).toBe('');
  });

  it('a journal that cannot be opened or written is a JournalError naming the file and the reason', () => {
    const under = join(fresh(), 'sub', 'journal.jsonl');
    writeFileSync(join(dir, `journal-${n}.jsonl`), 'a file, not a directory');
    expect(() => new Journal(under, 'r', clock())).toThrow(JournalError);
    expect(() => new Journal(under, 'r', clock())).toThrow(
      `cannot open the journal ${under}: ENOTDIR (a part of the path is a file, not a directory)`,
    );
    const file = fresh();
    const full = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    const j = new Journal(file, 'r', clock(), () => {
      throw full;
    });
    expect(() => j.sending([group])).toThrow(`cannot write the journal ${file}: ENOSPC (no space left on the device)`);
    j.close();
  });
});

describe('reading the journal back', () => {
  it('recentDeletions: the latest done or partial outcome per address; anything else is skipped', () => {
    const file = fresh();
    const j = new Journal(file, 'r', clock('2026-11-25T12:00:00.000Z'));
    const a = contact('79000000001@c.us');
    const b = contact('79000000002@c.us');
    j.sending([a, b, group]);
    j.record(a, { address: a.address, outcome: 'done', attempts: 1 });
    j.record(b, { address: b.address, outcome: 'failed', attempts: 1 });
    j.record(group, { address: group.address, outcome: 'partial', attempts: 1 });
    j.close();
    writeFileSync(file, `${readFileSync(file, 'utf8')}not json\n{"broken\n[1,2]\n`, { flag: 'w' });
    const later = new Journal(file, 'r2', clock('2026-11-26T00:00:00.000Z'));
    later.record(a, { address: a.address, outcome: 'already-absent', attempts: 1 });
    later.record(a, { address: a.address, outcome: 'done', attempts: 1 });
    later.close();
    // A line with an older time written later (another machine's clock) does not win.
    const older = new Journal(file, 'r3', clock('2026-11-20T00:00:00.000Z'));
    older.record(group, { address: group.address, outcome: 'done', attempts: 1 });
    older.close();
    expect(Object.fromEntries(recentDeletions(file))).toEqual({
      [a.address]: '2026-11-26T00:00:02.000Z',
      [group.address]: '2026-11-25T12:00:04.000Z',
    });
    expect(recentDeletions(join(dir, 'absent.jsonl')).size).toBe(0);
    expect(recentDeletions(dir).size).toBe(0);
  });

  it('removedFromJournal: each removal with the archive record written before it; unreadable lines counted', () => {
    const file = fresh();
    const j = new Journal(file, 'r', clock());
    const a = contact('79000000001@c.us', { phone: '79000000001' });
    const b = contact('79000000002@c.us');
    j.sending([a, b]);
    j.record(a, { address: a.address, outcome: 'done', attempts: 1 });
    j.record(b, { address: b.address, outcome: 'failed', attempts: 1 });
    j.close();
    // A crash left half a line, then a later run appended.
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"time":"2026`);
    const again = new Journal(file, 'r2', clock());
    again.sending([group]);
    again.record(group, { address: group.address, outcome: 'done', attempts: 1 });
    again.close();
    const { removed, unreadable } = removedFromJournal(readFileSync(file, 'utf8'));
    expect(unreadable).toBe(1);
    expect(removed.map((r) => [r.record.address, r.record.reversible, r.record.phone])).toEqual([
      [a.address, true, '79000000001'],
      [group.address, false, undefined],
    ]);
    // A later `restored` line (what `chatstate restore` appends) takes the contact off the list.
    appendJournalEntry(file, { event: 'restored', address: a.address, outcome: 'restored' });
    expect(removedFromJournal(readFileSync(file, 'utf8')).removed.map((r) => r.record.address)).toEqual([
      group.address,
    ]);
  });

  it('appendJournalEntry (restore) starts its line on a line of its own after a crash mid-line', () => {
    const file = fresh();
    const j = new Journal(file, 'r', clock());
    const a = contact('79000000001@c.us');
    j.sending([a]);
    j.record(a, { address: a.address, outcome: 'done', attempts: 1 });
    j.close();
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"time":"2026`);
    appendJournalEntry(file, { event: 'restored', address: a.address, outcome: 'restored' });
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').slice(-3)).toEqual([
      '{"time":"2026',
      JSON.stringify({ event: 'restored', address: a.address, outcome: 'restored' }),
      '',
    ]);
    // So restore sees what it re-created: nothing is listed as removed any more.
    expect(removedFromJournal(text)).toEqual({ removed: [], unreadable: 1 });
    // A new journal file is created readable by its owner only.
    const created = fresh();
    appendJournalEntry(created, { event: 'restored', address: 'x' });
    expect(readFileSync(created, 'utf8')).toBe('{"event":"restored","address":"x"}\n');
    expect(statSync(created).mode & 0o777).toBe(0o600);
  });
});
