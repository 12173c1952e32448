/** What observation returns: collections of items, exactly as the providers listed them. */

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
  | {
      readonly kind: 'contact';
      readonly contactName?: string;
      /** 2Chat: the contact's phone. GREEN-API: the phone chat id (`…@c.us`) of a contact listed by its LID, once resolved. */
      readonly phone?: string;
      readonly firstName?: string;
      readonly lastName?: string;
    }
  | { readonly kind: 'group'; readonly admin?: GroupAdmin }
  | { readonly kind: 'instance'; readonly state?: string | null; readonly expired: boolean }
  | { readonly kind: 'number'; readonly uuid: string; readonly phone: string; readonly status: string }
  | {
      readonly kind: 'message';
      readonly uuid: string;
      readonly sessionKey: string;
      readonly remote: string;
      /** ISO instant; when the provider gave no time zone, the latest instant it can mean (the youngest age). */
      readonly sentAt: string;
      /** Only when the provider gave no time zone: the earliest instant the time can mean (the oldest age). */
      readonly sentAtEarliest?: string;
      readonly sentBy: 'api' | 'agent' | 'user';
      readonly group: boolean;
      /** In a group: whether the own number is an admin there (2Chat participants); absent when unknown. */
      readonly admin?: boolean;
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
