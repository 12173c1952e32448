import type { AccountConfig, Desired } from '../config/model.js';
import type { HttpClient } from '../http/client.js';
import { mayRemove } from '../plan/decide.js';
import { managedCollections, type ManagedCollection } from '../plan/managed.js';
import { connectAccount } from '../providers/registry.js';
import type { AccountSession } from '../providers/types.js';
import type { ObservedCollection } from '../model/observed.js';
import { explainListErrors } from './list-errors.js';

export interface ObserveOptions {
  readonly http: HttpClient;
  readonly now: Date;
  /** Concurrent instances/numbers per account. */
  readonly concurrency: number;
  /** Only these collection addresses (apply re-observes what it touches); all when undefined. */
  readonly only?: ReadonlySet<string>;
  readonly log?: (line: string) => void;
}

export interface ObservedAccounts {
  readonly collections: ObservedCollection[];
  /** Sessions stay open for apply: they hold credentials learnt while observing (partner listings). */
  readonly sessions: Map<string, AccountSession>;
}

async function observeAccount(account: AccountConfig, session: AccountSession, options: ObserveOptions): Promise<ObservedCollection[]> {
  const managed = managedCollections(account).filter((m) => !options.only || options.only.has(m.ref.address));
  if (managed.length === 0) return [];
  const byAddress = new Map<string, ManagedCollection>(managed.map((m) => [m.ref.address, m]));
  const started = Date.now();
  const result = await session.observe(
    managed.map((m) => m.ref),
    {
      now: options.now,
      mayRemove: (ref, items) => {
        const m = byAddress.get(ref.address);
        return m ? mayRemove(m, items, options.now) : new Set();
      },
    },
  );
  const items = result.reduce((n, c) => n + c.items.length, 0);
  options.log?.(`observed ${account.provider}.${account.name}: ${result.length} collections, ${items} items in ${Date.now() - started} ms`);
  return explainListErrors(result, account);
}

/** Observes every managed collection of every account, accounts concurrently. */
export async function observeAccounts(desired: Desired, options: ObserveOptions): Promise<ObservedAccounts> {
  const sessions = new Map<string, AccountSession>();
  const perAccount = await Promise.all(
    desired.accounts.map((account) => {
      const session = connectAccount(account, { http: options.http, concurrency: options.concurrency });
      sessions.set(`${account.provider}.${account.name}`, session);
      return observeAccount(account, session, options);
    }),
  );
  return { collections: perAccount.flat(), sessions };
}
