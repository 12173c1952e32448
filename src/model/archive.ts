import type { ActionType } from './action.js';
import type { ProviderType } from './provider.js';

/**
 * What the journal keeps of a resource before apply removes it: enough to list what was deleted,
 * and for `chatstate restore` to re-create what a provider lets us re-create. Never a secret.
 */
export interface ArchiveRecord {
  readonly address: string;
  /** The collection it was removed from (`…/instance.1101000001/contacts`). */
  readonly collection: string;
  readonly provider: ProviderType;
  readonly account: string;
  /** The removal that was sent. */
  readonly action: ActionType;
  readonly id: string;
  readonly name?: string;
  readonly phone?: string;
  /** GREEN-API: the instance it belonged to. */
  readonly instance?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Whether `chatstate restore` can re-create it. */
  readonly reversible: boolean;
}
