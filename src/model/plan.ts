import type { Action } from './action.js';
import type { CollectionKind } from './observed.js';
import type { ProviderType } from './provider.js';

/** `not-targeted`: the file would remove it, but `--target` leaves it out of this plan. */
export type DecisionKind = 'keep' | 'remove' | 'protected' | 'unmanaged' | 'not-targeted';

/** Each decision kind's code: its index here (one byte per item in a DecisionTable). */
export const DECISION_KINDS: readonly DecisionKind[] = ['keep', 'remove', 'protected', 'unmanaged', 'not-targeted'];

/**
 * What the plan decided for one observed resource, and the rule that decided it. A row of a
 * collection's DecisionTable, made when it is read (the plan does not hold one object per item).
 */
export interface Decision {
  readonly id: string;
  readonly name: string;
  readonly decision: DecisionKind;
  /** `keep: {name: Team *}`, `remove: spam-*`, `not kept (prune: true)`, `own number`, … */
  readonly rule: string;
}

/**
 * A collection's rules, each once: a decision holds an index into it. The planner's table is its
 * collection's policy entries followed by the fixed and computed rules, each text made when read
 * (a keep list of 100,000 exact ids makes no string until one is shown).
 */
export interface RuleTable {
  readonly length: number;
  text(r: number): string;
}

/**
 * A collection's decisions as columns, in observed order: item i has an id and a name (read from
 * the observed items, or from a plan file's columns), a decision code (a byte) and a rule index.
 * `at(i)`, iteration, `map`, `find`, `filter` make `Decision` rows on demand; as JSON it is the list
 * of rows (`plan --format json` is unchanged). Implemented by model/decision-table.ts.
 */
export interface DecisionTable extends Iterable<Decision> {
  readonly length: number;
  readonly rules: RuleTable;
  id(i: number): string;
  name(i: number): string;
  /** Index into DECISION_KINDS. */
  code(i: number): number;
  decision(i: number): DecisionKind;
  /** Index into `rules`. */
  ruleIndex(i: number): number;
  rule(i: number): string;
  at(i: number): Decision;
  map<T>(f: (d: Decision, i: number) => T): T[];
  find(f: (d: Decision, i: number) => boolean): Decision | undefined;
  filter(f: (d: Decision, i: number) => boolean): Decision[];
  toJSON(): Decision[];
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
  /**
   * sha256 of the sorted observed ids ('' when not observed): shows whether two plans saw the same
   * set. Nothing in chatstate compares it, so it is computed only when read (a getter), from the ids.
   */
  readonly fingerprint: string;
  readonly counts: CollectionCounts;
  readonly decisions: DecisionTable;
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
  /**
   * In execution order (dependencies first). The planner makes the Action objects when this is
   * first read (apply, a renderer, the plan file), not while planning.
   */
  readonly actions: readonly Action[];
  /** The collections' warnings, then the actions' (in action order): made with `actions`, when first read. */
  readonly warnings: readonly PlanWarning[];
  readonly refusals: readonly Refusal[];
  /** Collections that could not be observed; a plan with errors is never saved. */
  readonly errors: readonly PlanProblem[];
}
