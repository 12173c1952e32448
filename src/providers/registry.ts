import type { AccountConfig } from '../config/model.js';
import type { ProviderType } from '../model/provider.js';
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
