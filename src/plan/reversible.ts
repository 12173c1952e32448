import type { ActionType } from '../model/action.js';
import type { ProviderType } from '../model/provider.js';

/**
 * Whether `chatstate restore` can undo an action: only contacts of providers whose documentation
 * has a create endpoint (GREEN-API `addContact`, 2Chat `POST /open/contacts`). Wabotify documents
 * none; leaving a group, deleting a message, an instance or a number cannot be undone.
 */
export function isReversible(provider: ProviderType, type: ActionType): boolean {
  return type === 'delete-contact' && (provider === 'green-api' || provider === '2chat');
}
