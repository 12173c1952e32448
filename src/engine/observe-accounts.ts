import type { AccountConfig, Desired } from '../config/model.js';
import type { ObservedCollection } from '../model/observed.js';
import { mayRemove } from '../plan/decide.js';
import { type ManagedCollection, managedCollections } from '../plan/managed.js';
import { type Sessions, sessionFor } from '../providers/registry.js';
import type { AccountSession, ObserveHooks } from '../providers/types.js';
import { accountAddress } from '../shared/address.js';
import { explainListErrors } from './list-errors.js';

export interface ObserveOptions {
  readonly now: Date;
  /** Only these collection addresses (apply re-observes what it touches); all when undefined. */
  readonly only?: ReadonlySet<string>;
  readonly log?: (line: string) => void;
}

/**
 * The `mayRemove` hook, wired explicitly: observation asks the planner (`plan/decide.ts`) which of the
 * items just listed a plan might remove, so that a provider fetches costly details (GREEN-API group
 * admin rights, instance state) only for those. Items the file keeps or protects need no lookup.
 */
function observeHooks(managed: readonly ManagedCollection[], now: Date): ObserveHooks {
  const byAddress = new Map<string, ManagedCollection>(managed.map((m) => [m.ref.address, m]));
  return {
    now,
    mayRemove: (ref, items) => {
      const m = byAddress.get(ref.address);
      return m ? mayRemove(m, items, now) : new Set();
    },
  };
}

async function observeAccount(
  account: AccountConfig,
  session: AccountSession,
  options: ObserveOptions,
): Promise<ObservedCollection[]> {
  const managed = managedCollections(account).filter((m) => !options.only || options.only.has(m.ref.address));
  if (managed.length === 0) return [];
  const started = Date.now();
  const result = await session.observe(
    managed.map((m) => m.ref),
    observeHooks(managed, options.now),
  );
  const items = result.reduce((n, c) => n + c.items.length, 0);
  options.log?.(
    `observed ${accountAddress(account.provider, account.name)}: ${result.length} collections, ${items} items in ${Date.now() - started} ms`,
  );
  return explainListErrors(result, account);
}

/** Observes every managed collection of every account through its session (`connectAll`), accounts concurrently. */
export async function observeAccounts(
  desired: Desired,
  sessions: Sessions,
  options: ObserveOptions,
): Promise<ObservedCollection[]> {
  const perAccount = await Promise.all(
    desired.accounts.map((account) => {
      const session = sessionFor(sessions, { provider: account.provider, account: account.name });
      if (!session)
        throw new Error(
          `no session for ${accountAddress(account.provider, account.name)}: connect every account first (connectAll)`,
        );
      return observeAccount(account, session, options);
    }),
  );
  return perAccount.flat();
}
