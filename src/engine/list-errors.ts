import type { AccountConfig } from '../config/model.js';
import { NotFoundError } from '../http/errors.js';
import type { ObservedCollection } from '../model/observed.js';
import { redact } from '../shared/redact.js';

/** What a 404 on a list endpoint most likely means for each provider: a wrong base URL, not a missing resource. */
function hintFor(account: AccountConfig): string {
  switch (account.provider) {
    case '2chat':
      return `the apiUrl of ${account.provider}.${account.name} (${redact(account.apiUrl)}) is probably wrong: 2Chat's ends in /open, e.g. https://api.p.2chat.io/open`;
    case 'wabotify':
      return `the apiUrl (${redact(account.apiUrl)}) or the workspaceId (${account.workspaceId}) of ${account.provider}.${account.name} is probably wrong`;
    case 'green-api':
      return `the apiUrl of ${account.provider}.${account.name} (or partner.apiUrl, or the instance's apiUrl) is probably wrong; copy it from the GREEN-API console`;
  }
}

/** An endpoint that answered 404 to a read: the collection was not observed, and the configuration is the likely cause. */
class ListEndpointNotFoundError extends Error {
  constructor(cause: NotFoundError, account: AccountConfig) {
    const o = cause.origin;
    super(
      `${o.account}: ${o.httpMethod} ${o.url} answered 404${cause.detail ? ` (${cause.detail})` : ''} while listing: ${hintFor(account)}. A list that answers 404 is not an empty list; nothing is planned from it.`,
    );
    this.name = 'ListEndpointNotFoundError';
  }
}

/** Replaces a 404 of a list request by the error that names the misconfigured endpoint. */
export function explainListErrors(
  collections: readonly ObservedCollection[],
  account: AccountConfig,
): ObservedCollection[] {
  return collections.map((c) =>
    c.error instanceof NotFoundError ? { ...c, error: new ListEndpointNotFoundError(c.error, account) } : c,
  );
}
