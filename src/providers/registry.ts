import type { AccountConfig, Desired } from '../config/model.js';
import type { HttpClient } from '../http/client.js';
import type { ProviderType } from '../model/provider.js';
import { accountAddress } from '../shared/address.js';
import { twoChatProvider } from './2chat/index.js';
import { greenApiProvider } from './green-api/index.js';
import type { AccountSession, Provider, SessionDeps } from './types.js';
import { wabotifyProvider } from './wabotify/index.js';

/** Every provider chatstate speaks. Adding one: a folder under src/providers/ and one line here. */
const PROVIDERS: { readonly [P in ProviderType]: Provider<Extract<AccountConfig, { provider: P }>> } = {
  'green-api': greenApiProvider,
  wabotify: wabotifyProvider,
  '2chat': twoChatProvider,
};

export function connectAccount(account: AccountConfig, deps: SessionDeps): AccountSession {
  const provider = PROVIDERS[account.provider] as Provider<AccountConfig>;
  return provider.connect(account, deps);
}

/** The sessions of one run, one per account, keyed by account address (`provider.account`). */
export type Sessions = ReadonlyMap<string, AccountSession>;

/**
 * Connects every account of the config once. The same sessions serve observation, the dry run and
 * apply: GREEN-API sessions learn instance tokens from the partner listing while observing, and apply
 * needs them later.
 */
export function connectAll(
  desired: Pick<Desired, 'accounts'>,
  http: HttpClient,
  concurrency = 8,
): Map<string, AccountSession> {
  return new Map(
    desired.accounts.map((a) => [accountAddress(a.provider, a.name), connectAccount(a, { http, concurrency })]),
  );
}

/** The session of the account an action (or anything with `provider` and `account`) belongs to. */
export function sessionFor(
  sessions: Sessions,
  owner: { readonly provider: ProviderType; readonly account: string },
): AccountSession | undefined {
  return sessions.get(accountAddress(owner.provider, owner.account));
}
