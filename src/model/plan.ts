import type { Action } from './action.js';
import type { CollectionKind } from './observed.js';
import type { ProviderType } from './provider.js';

export type DecisionKind = 'keep' | 'remove' | 'protected' | 'unmanaged';

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
  readonly removed: number;
  readonly protected: number;
  readonly unmanaged: number;
  readonly missing: number;
}

/**
 * One managed collection in the plan. `planned`: decided; `failed`: could not be observed (no
 * action comes from it); `superseded`: its owner (instance, number) is deleted by this plan.
 */
export interface PlannedCollection {
  readonly address: string;
  readonly provider: ProviderType;
  readonly account: string;
  readonly kind: CollectionKind;
  readonly status: 'planned' | 'failed' | 'superseded';
  /** sha256 of the sorted observed ids: apply reports drift when it changes. */
  readonly fingerprint: string;
  readonly counts: CollectionCounts;
  readonly decisions: readonly Decision[];
  /** Exact ids the file names that were not observed (chatstate only removes: a warning). */
  readonly missing: readonly string[];
  readonly note?: string;
}

export interface Refusal {
  readonly kind: 'mass-delete' | 'last-admin';
  readonly address: string;
  readonly message: string;
}

export interface PlanProblem {
  readonly collection: string;
  readonly message: string;
}

export const PLAN_FORMAT_VERSION = 1;

/** The whole plan. Holds no secret: credentials stay in the config and the environment. */
export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly tool: { readonly name: 'chatstate'; readonly version: string };
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly configFile: string;
  readonly configDigest: string;
  readonly targets: readonly string[];
  readonly collections: readonly PlannedCollection[];
  /** In execution order (dependencies first). */
  readonly actions: readonly Action[];
  readonly warnings: readonly string[];
  readonly refusals: readonly Refusal[];
  /** Collections that could not be observed; a plan with errors is never saved. */
  readonly errors: readonly PlanProblem[];
}
