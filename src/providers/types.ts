import type { AccountConfig, ProviderType } from '../config/model.js';
import type { HttpClient, HttpRequestSpec } from '../http/client.js';

/** The kinds of collection chatstate manages. */
export type CollectionKind = 'instances' | 'contacts' | 'groups' | 'numbers' | 'messages';

/** A collection the config manages, as the provider is asked to observe it. */
export interface CollectionRef {
  readonly address: string;
  readonly kind: CollectionKind;
  /** GREEN-API: the instance id; 2Chat messages: the own number (`+digits`). */
  readonly scope?: string;
  /** 2Chat messages: stop paging once messages are older than this (ms before now). */
  readonly lookBackMs?: number;
}

/** Admin rights of the own number in a group, from `getGroupData`. */
export interface GroupAdmin {
  readonly isAdmin: boolean;
  /** The own number is an admin and nobody else is. */
  readonly lastAdmin: boolean;
}

/** What the provider said about one resource beyond its id and name. */
export type ItemFacts =
  | { readonly kind: 'contact'; readonly contactName?: string; readonly phone?: string }
  | { readonly kind: 'group'; readonly admin?: GroupAdmin }
  | { readonly kind: 'instance'; readonly state?: string | null; readonly expired: boolean; readonly tariff?: string }
  | { readonly kind: 'number'; readonly uuid: string; readonly phone: string; readonly status: string }
  | {
      readonly kind: 'message';
      readonly uuid: string;
      readonly sessionKey: string;
      readonly remote: string;
      readonly sentAt: string;
      readonly sentBy: 'api' | 'agent' | 'user';
      readonly group: boolean;
    };

/** One observed resource. Invariant: `id` is exactly what the provider returned. */
export interface ObservedItem {
  readonly id: string;
  readonly address: string;
  /** What `{name: …}` entries match; '' when the provider gives none. */
  readonly name: string;
  readonly facts: ItemFacts;
}

/**
 * One observed collection. Either `items` is the complete list, or `error` says why it could not be
 * read — never an empty list standing in for a failure.
 */
export interface ObservedCollection {
  readonly ref: CollectionRef;
  readonly items: readonly ObservedItem[];
  /** Ids never to remove: the account's own number(s) and similar. */
  readonly ownIds: readonly string[];
  readonly error?: Error;
  /** Notes for the plan (e.g. a list that stayed empty after the documented repeats). */
  readonly notes: readonly string[];
  /**
   * Why this answer is not trusted as the complete list (GREEN-API: still `[]` after the documented
   * repeats). The plan warns; export writes no keep list from it.
   */
  readonly unconfirmed?: string;
}

export type ActionType = 'delete-contact' | 'leave-group' | 'logout-instance' | 'delete-instance' | 'delete-message' | 'delete-number';

/** What an action acts on. Every field is a provider id, never a secret. */
export interface ActionTarget {
  readonly id: string;
  readonly name?: string;
  /** GREEN-API instance id. */
  readonly instance?: string;
  /** 2Chat own number. */
  readonly number?: string;
  /** 2Chat message session key. */
  readonly sessionKey?: string;
  /** Wabotify workspace. */
  readonly workspaceId?: string;
  /** 2Chat number (channel) uuid. */
  readonly uuid?: string;
}

/** One planned change. `type` drives behaviour; `reason` only explains. */
export interface Action {
  readonly address: string;
  readonly type: ActionType;
  readonly provider: ProviderType;
  readonly account: string;
  /** The collection it came from (for re-observation before apply). */
  readonly collection: string;
  readonly target: ActionTarget;
  readonly reason: string;
  readonly warnings: readonly string[];
  /** Keys (`type:address`) of actions that must succeed first. */
  readonly dependsOn: readonly string[];
  /**
   * `partial` when the plan already knows the provider can only do part of it (a 2Chat message
   * WhatsApp will keep): a success is then reported as `partial`, not `done`.
   */
  readonly expected?: 'partial';
}

export type OutcomeKind = 'done' | 'already-absent' | 'partial' | 'failed' | 'skipped';

export interface ActionOutcome {
  readonly address: string;
  readonly outcome: OutcomeKind;
  readonly status?: number;
  readonly attempts: number;
  /** Why partial, failed or skipped (redacted). */
  readonly detail?: string;
  readonly error?: Error;
}

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
