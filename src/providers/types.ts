import type { AccountConfig } from '../config/model.js';
import type { HttpClient, HttpRequestSpec } from '../http/client.js';
import type { Action, ActionOutcome, ActionType } from '../model/action.js';
import type { CollectionRef, ObservedCollection, ObservedItem } from '../model/observed.js';

export interface ObserveHooks {
  /**
   * The ids of `items` a plan might remove: the provider fetches costly details (GREEN-API group
   * admin rights, instance state) only for those.
   */
  mayRemove(ref: CollectionRef, items: readonly ObservedItem[]): ReadonlySet<string>;
  readonly now: Date;
}

/** A provider bound to one account for one run; it may learn credentials (partner listings) while observing. */
export interface AccountSession {
  observe(refs: readonly CollectionRef[], hooks: ObserveHooks): Promise<ObservedCollection[]>;
  /** The exact requests `execute` would send for these actions (one batch), secrets included: redact before showing. */
  requestsFor(actions: readonly Action[]): HttpRequestSpec[];
  /** Executes one action, or one batch of same-type actions when `maxBatch` allows; never throws. */
  execute(actions: readonly Action[]): Promise<ActionOutcome[]>;
  /** How many actions of this type one request may carry (Wabotify delete-batch: 100). */
  maxBatch(type: ActionType): number;
}

export interface SessionDeps {
  readonly http: HttpClient;
  /** Concurrent requests across instances/numbers while observing. */
  readonly concurrency: number;
}

export interface Provider<A extends AccountConfig = AccountConfig> {
  readonly type: A['provider'];
  connect(account: A, deps: SessionDeps): AccountSession;
}
