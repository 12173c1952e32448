import type { Action } from './action.js';
import type { CollectionKind } from './observed.js';
import type { ProviderType } from './provider.js';

/** `not-targeted`: the file would remove it, but `--target` leaves it out of this plan. */
export type DecisionKind = 'keep' | 'remove' | 'protected' | 'unmanaged' | 'not-targeted';

/** What the plan decided for one observed resource, and the rule that decided it. */
export interface Decision {
  readonly id: string;
  readonly name: string;
  readonly decision: DecisionKind;
  /** `keep: {name: Team *}`, `remove: spam-*`, `not kept (prune: true)`, `own number`, … */
  readonly rule: string;
}

export interface CollectionCounts {
  readonly observed: number;
  readonly kept: number;
  /** Removals this plan makes (in a targeted plan: only the targeted ones). */
  readonly removed: number;
  readonly protected: number;
  readonly unmanaged: number;
  readonly missing: number;
  /** Targeted plans: removals the file asks for that --target leaves out (not acted on). */
  readonly notTargeted?: number;
}

/**
 * One managed collection in the plan. `planned`: decided; `failed`: could not be observed (no
 * action comes from it); `superseded`: its owner (instance, number) is deleted by this plan;
 * `not-targeted`: decided, but `--target` selects nothing in it, so no action comes from it.
 */
export interface PlannedCollection {
  readonly address: string;
  readonly provider: ProviderType;
  readonly account: string;
  readonly kind: CollectionKind;
  readonly status: 'planned' | 'failed' | 'superseded' | 'not-targeted';
  /** sha256 of the sorted observed ids: apply reports drift when it changes. */
  readonly fingerprint: string;
  readonly counts: CollectionCounts;
  readonly decisions: readonly Decision[];
  /** Exact ids the file names that were not observed (chatstate only removes: a warning). */
  readonly missing: readonly string[];
  readonly note?: string;
  /** `failed` only: why the collection could not be observed (redacted). */
  readonly error?: string;
}

/** Something a reviewer should know that is not an action (a missing id, a provider hazard, a note). */
export interface PlanWarning {
  /** The collection or action it is about. */
  readonly address: string;
  readonly message: string;
}

export interface Refusal {
  readonly kind: 'mass-delete' | 'last-admin' | 'empties-collection' | 'base-protection';
  readonly address: string;
  readonly message: string;
}

export interface PlanProblem {
  readonly collection: string;
  readonly message: string;
}

/** 2: warnings are `{address, message}` records; unobserved collections appear with `status: "failed"`. */
export const PLAN_FORMAT_VERSION = 2;

/**
 * Where one account's requests go, resolved from the config and the environment when the plan was
 * made. `${VAR}` can change these without the file changing, so apply compares them. Never a secret.
 */
export interface AccountEndpoints {
  readonly account: string;
  readonly apiUrl: string;
  readonly partnerApiUrl?: string;
  readonly workspaceId?: string;
  /** GREEN-API: per-instance base URLs that differ from the account's. */
  readonly instanceApiUrls?: Readonly<Record<string, string>>;
}

/** The whole plan. Holds no secret: credentials stay in the config and the environment. */
export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly tool: { readonly name: 'chatstate'; readonly version: string };
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly configFile: string;
  readonly configDigest: string;
  readonly targets: readonly string[];
  /** Each account's resolved endpoints (apply refuses a plan whose endpoints differ now). */
  readonly endpoints: readonly AccountEndpoints[];
  /** The --exclude patterns (absent: none). */
  readonly excludes?: readonly string[];
  readonly collections: readonly PlannedCollection[];
  /** In execution order (dependencies first). */
  readonly actions: readonly Action[];
  readonly warnings: readonly PlanWarning[];
  readonly refusals: readonly Refusal[];
  /** Collections that could not be observed; a plan with errors is never saved. */
  readonly errors: readonly PlanProblem[];
}
