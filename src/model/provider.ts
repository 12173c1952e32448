/** The provider types chatstate manages. */
export type ProviderType = 'green-api' | 'wabotify' | '2chat';
