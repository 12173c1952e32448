import type { ProviderType } from '../model/provider.js';
import type { Secret } from '../shared/secret.js';
import type { SourcePosition } from '../shared/source-error.js';

/** The mass-deletion brake in force for one collection. */
export interface Safety {
  readonly maxDeletePercent: number;
  readonly minItems: number;
}

export const DEFAULT_SAFETY: Safety = { maxDeletePercent: 30, minItems: 10 };

/**
 * One `keep`/`remove`/`protect` entry. `field: 'id'` matches the resource id, `'name'` its name.
 * `text` is what the user wrote (for reasons in plans); `exact` entries compare by equality after
 * normalisation, others are globs (`*`, `?`).
 */
export interface Entry {
  readonly text: string;
  readonly field: 'id' | 'name';
  readonly pattern: string;
  readonly exact: boolean;
  readonly regex: RegExp;
  readonly at: SourcePosition;
  /** Group `remove` entries only: allow leaving where the own number is the last admin. */
  readonly allowLastAdminLeave?: boolean;
}

/** What the file says about one collection. Invariant: a collection absent from the file is never planned. */
export interface CollectionPolicy {
  readonly prune: boolean;
  readonly keep: readonly Entry[];
  readonly remove: readonly Entry[];
  readonly protect: readonly Entry[];
  readonly safety: Safety;
  /**
   * `allowEmpty: true`: a plan may remove every item of this collection. Without it such a plan is
   * refused whatever the collection's size (the percentage brake stops at `minItems`; this does not).
   */
  readonly allowEmpty?: boolean;
  readonly at: SourcePosition;
}

export interface GroupPolicy extends CollectionPolicy {
  readonly allowLastAdminLeave: boolean;
}

export type SentBy = 'api' | 'agent' | 'user';

/** Retention of one 2Chat number's messages. */
export interface MessagePolicy extends CollectionPolicy {
  readonly olderThanMs?: number;
  readonly sentBy?: readonly SentBy[];
  readonly lookBackMs?: number;
}

export interface GreenApiInstanceConfig {
  readonly id: number;
  /** Absent when the partner listing supplies the token. */
  readonly token?: Secret;
  readonly apiUrl: string;
  readonly contacts?: CollectionPolicy;
  readonly groups?: GroupPolicy;
  readonly at: SourcePosition;
}

export interface GreenApiAccountConfig {
  readonly provider: 'green-api';
  readonly name: string;
  readonly apiUrl: string;
  readonly partner?: { readonly token: Secret; readonly apiUrl: string; readonly instances?: CollectionPolicy };
  readonly instances: readonly GreenApiInstanceConfig[];
  readonly rateLimits: Readonly<Record<string, string>>;
}

export interface WabotifyAccountConfig {
  readonly provider: 'wabotify';
  readonly name: string;
  readonly workspaceId: string;
  readonly apiKey: Secret;
  readonly apiUrl: string;
  readonly contacts?: CollectionPolicy;
  readonly rateLimits: Readonly<Record<string, string>>;
}

export interface TwoChatAccountConfig {
  readonly provider: '2chat';
  readonly name: string;
  readonly apiKey: Secret;
  readonly apiUrl: string;
  readonly numbers?: CollectionPolicy;
  readonly contacts?: CollectionPolicy;
  /** Keyed by the number in `+digits` form. */
  readonly messages: ReadonlyMap<string, MessagePolicy>;
  readonly rateLimits: Readonly<Record<string, string>>;
}

export type AccountConfig = GreenApiAccountConfig | WabotifyAccountConfig | TwoChatAccountConfig;

/** The loaded, validated, interpolated desired state. Holds secrets only inside `Secret` wrappers. */
export interface Desired {
  readonly file: string;
  /** sha256 of the file's bytes: a saved plan is only applied to the config it was made from. */
  readonly digest: string;
  readonly version: 1;
  readonly safety: Safety;
  /** `privacy:`: mask personal data in everything printed (the CLI's --mask / --no-mask win). */
  readonly privacy: { readonly mask: boolean };
  readonly accounts: readonly AccountConfig[];
}

export const DEFAULT_API_URLS: Readonly<Record<ProviderType, string>> = {
  'green-api': 'https://api.green-api.com',
  wabotify: 'https://api.wabotify.com',
  '2chat': 'https://api.p.2chat.io/open',
};
