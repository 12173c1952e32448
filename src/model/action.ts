import type { ProviderType } from './provider.js';

export type ActionType =
  | 'delete-contact'
  | 'leave-group'
  | 'logout-instance'
  | 'delete-instance'
  | 'delete-message'
  | 'delete-number';

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
  /** Contacts: what `chatstate restore` needs to re-create them (the archive record in the journal). */
  readonly phone?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** GREEN-API: the phone chat id DeleteContact takes, for a contact listed by its LID. */
  readonly phoneChatId?: string;
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
  /**
   * true: `chatstate restore` can re-create what this action removes (a contact of a provider with a
   * documented create endpoint). false or absent: leaving a group, deleting a message, an instance or
   * a number. The planner always sets it.
   */
  readonly reversible?: boolean;
}

/** Unique key of an action (one resource may carry two: logout and delete of an instance). */
export const actionKey = (a: Pick<Action, 'type' | 'address'>): string => `${a.type}:${a.address}`;

export type OutcomeKind = 'done' | 'already-absent' | 'partial' | 'failed' | 'skipped';

export interface ActionOutcome {
  readonly address: string;
  readonly outcome: OutcomeKind;
  readonly status?: number;
  readonly attempts: number;
  /** Why partial, failed or skipped (redacted). */
  readonly detail?: string;
  /** On `skipped`: not sent because a plan made at apply time would not make it (plan/redecide.ts), not because a dependency failed. */
  readonly stale?: true;
}
