import type { AccountConfig, Desired } from '../config/model.js';
import type { HttpClient } from '../http/client.js';
import type { ArchiveRecord } from '../model/archive.js';
import { mapLimit } from '../providers/concurrency.js';
import { type RestoreOutcome, type Restorer, restorerFor, whyIrreversible } from '../providers/restore.js';
import { redact } from '../shared/redact.js';

/** What restore will do with each archived record, decided before anything is sent. */
export interface RestorePlan {
  readonly create: readonly ArchiveRecord[];
  readonly present: readonly ArchiveRecord[];
  readonly cannot: readonly { readonly record: ArchiveRecord; readonly why: string }[];
  /** Restorers by `provider.account`, for the records in `create`. */
  readonly restorers: ReadonlyMap<string, Restorer>;
}

const accountKey = (r: { provider: string; account: string }): string => `${r.provider}.${r.account}`;

/**
 * Sorts archived records into what can be re-created now, what already exists (asked from the
 * provider), and what cannot come back (and why). Nothing is created.
 */
export async function planRestore(
  records: readonly ArchiveRecord[],
  desired: Desired,
  http: HttpClient,
  concurrency: number,
): Promise<RestorePlan> {
  const accounts = new Map<string, AccountConfig>(
    desired.accounts.map((a) => [accountKey({ provider: a.provider, account: a.name }), a]),
  );
  const cannot: { record: ArchiveRecord; why: string }[] = [];
  const byAccount = new Map<string, ArchiveRecord[]>();
  for (const record of records) {
    const why = whyIrreversible(record);
    const account = accounts.get(accountKey(record));
    if (why) cannot.push({ record, why });
    else if (!account)
      cannot.push({
        record,
        why: `the account ${accountKey(record)} is not in the config (restore needs its credentials)`,
      });
    else byAccount.set(accountKey(record), [...(byAccount.get(accountKey(record)) ?? []), record]);
  }
  const restorers = new Map<string, Restorer>();
  const create: ArchiveRecord[] = [];
  const present: ArchiveRecord[] = [];
  await mapLimit([...byAccount], 4, async ([key, list]) => {
    const restorer = restorerFor(accounts.get(key)!, http, concurrency);
    if (!restorer) {
      for (const record of list) cannot.push({ record, why: `${record.provider} documents no endpoint to create it` });
      return;
    }
    let exists: Set<string>;
    try {
      exists = await restorer.present(list);
    } catch (err) {
      const why = `could not check whether it exists now: ${redact(err instanceof Error ? err.message : String(err))}`;
      for (const record of list) cannot.push({ record, why });
      return;
    }
    restorers.set(key, restorer);
    for (const record of list) (exists.has(record.address) ? present : create).push(record);
  });
  const order = (a: { address: string }, b: { address: string }) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
  return {
    create: create.sort(order),
    present: present.sort(order),
    cannot: cannot.sort((a, b) => order(a.record, b.record)),
    restorers,
  };
}

/** Re-creates `plan.create`, accounts concurrently, one record at a time per account (the provider's rate limit paces it). */
export async function executeRestore(
  plan: RestorePlan,
  onOutcome: (record: ArchiveRecord, outcome: RestoreOutcome) => void,
  signal?: AbortSignal,
): Promise<RestoreOutcome[]> {
  const byAccount = new Map<string, ArchiveRecord[]>();
  for (const r of plan.create) byAccount.set(accountKey(r), [...(byAccount.get(accountKey(r)) ?? []), r]);
  const outcomes: RestoreOutcome[] = [];
  await mapLimit([...byAccount], 4, async ([key, list]) => {
    const restorer = plan.restorers.get(key)!;
    for (const record of list) {
      if (signal?.aborted) return;
      const outcome = await restorer.restore(record);
      outcomes.push(outcome);
      onOutcome(record, outcome);
    }
  });
  return outcomes;
}
