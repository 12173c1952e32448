import type { Action } from '../model/action.js';
import type { ArchiveRecord } from '../model/archive.js';

/** The archive record of what an action removes, from the plan's action (which carries the observed record). */
export function archiveRecord(action: Action): ArchiveRecord {
  const t = action.target;
  return {
    address: action.address,
    collection: action.collection,
    provider: action.provider,
    account: action.account,
    action: action.type,
    id: t.id,
    ...(t.name ? { name: t.name } : {}),
    ...(t.phone ? { phone: t.phone } : {}),
    ...(t.instance ? { instance: t.instance } : {}),
    ...(t.firstName ? { firstName: t.firstName } : {}),
    ...(t.lastName ? { lastName: t.lastName } : {}),
    reversible: action.reversible === true,
  };
}

/** One resource apply removed, and what restore already did about it. */
export interface Removed {
  readonly record: ArchiveRecord;
  /** When the removal's outcome was written. */
  readonly time: string;
}

interface Line {
  readonly time?: string;
  readonly run?: string;
  readonly event?: string;
  readonly address?: string;
  readonly type?: string;
  readonly outcome?: string;
  readonly archive?: ArchiveRecord;
}

const REMOVED = new Set(['done', 'partial']);

/**
 * The resources a journal says were removed, latest first per address, minus those a later
 * `restore` re-created. A removal counts once its outcome is `done` or `partial`; its archive
 * record is the one written before the request (or with the outcome, by older journals).
 * Lines that are not JSON (a crash mid-line) are skipped and counted.
 */
export function removedFromJournal(text: string): { removed: Removed[]; unreadable: number } {
  const archives = new Map<string, ArchiveRecord>();
  const removed = new Map<string, Removed>();
  let unreadable = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      unreadable++;
      continue;
    }
    if (typeof line !== 'object' || line === null || typeof line.address !== 'string') continue;
    const key = `${line.run ?? ''}\u0000${line.type ?? ''}\u0000${line.address}`;
    if (line.archive) archives.set(key, line.archive);
    if (line.event === 'restored') {
      removed.delete(line.address);
      continue;
    }
    if ((line.event === undefined || line.event === 'outcome') && REMOVED.has(line.outcome ?? '')) {
      const record = archives.get(key);
      if (record) removed.set(line.address, { record, time: line.time ?? '' });
    }
  }
  return {
    removed: [...removed.values()].sort((a, b) =>
      a.record.address < b.record.address ? -1 : a.record.address > b.record.address ? 1 : 0,
    ),
    unreadable,
  };
}
