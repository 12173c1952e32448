import type { AccountConfig, CollectionPolicy, Desired, GroupPolicy, MessagePolicy } from '../config/model.js';
import type { CollectionRef } from '../model/observed.js';
import type { ProviderType } from '../model/provider.js';
import { accountAddress, childAddress, collectionAddress } from '../shared/address.js';

/** The address segment of an item of each kind of collection (`…/contacts` holds `…/contact.ID`). */
export const ITEM: Readonly<Record<CollectionRef['kind'], string>> = {
  instances: 'instance',
  contacts: 'contact',
  groups: 'group',
  numbers: 'number',
  messages: 'message',
};

/** A collection the config manages: what to observe, and the policy that decides it. */
export interface ManagedCollection {
  readonly ref: CollectionRef;
  readonly provider: ProviderType;
  readonly account: string;
  readonly accountAddress: string;
  readonly policy: CollectionPolicy | GroupPolicy | MessagePolicy;
  /** GREEN-API contacts/groups: the instance; 2Chat messages: the number. Its removal supersedes this collection. */
  readonly owner?: string;
  /** Instances the config manages collections of: never deleted (implicit protection). */
  readonly managedIds?: readonly string[];
}

function add(
  out: ManagedCollection[],
  provider: ProviderType,
  account: string,
  kind: CollectionRef['kind'],
  parent: string,
  policy: CollectionPolicy | undefined,
  extra: Partial<ManagedCollection> & { scope?: string; lookBackMs?: number } = {},
): void {
  if (!policy) return;
  const { scope, lookBackMs, ...rest } = extra;
  const ref: CollectionRef = {
    address: collectionAddress(parent, kind),
    kind,
    ...(scope !== undefined ? { scope } : {}),
    ...(lookBackMs !== undefined ? { lookBackMs } : {}),
  };
  out.push({ ref, provider, account, accountAddress: accountAddress(provider, account), policy, ...rest });
}

/** Every collection the config mentions, in file order per account. Collections it does not mention are never listed. */
export function managedCollections(account: AccountConfig): ManagedCollection[] {
  const out: ManagedCollection[] = [];
  const base = accountAddress(account.provider, account.name);
  switch (account.provider) {
    case 'green-api':
      add(out, 'green-api', account.name, 'instances', base, account.partner?.instances, {
        managedIds: account.instances.filter((i) => i.contacts || i.groups).map((i) => String(i.id)),
      });
      for (const i of account.instances) {
        const parent = childAddress(base, 'instance', String(i.id));
        const owner = childAddress(base, 'instance', String(i.id));
        add(out, 'green-api', account.name, 'groups', parent, i.groups, { scope: String(i.id), owner });
        add(out, 'green-api', account.name, 'contacts', parent, i.contacts, { scope: String(i.id), owner });
      }
      break;
    case 'wabotify':
      add(out, 'wabotify', account.name, 'contacts', base, account.contacts);
      break;
    case '2chat':
      add(out, '2chat', account.name, 'numbers', base, account.numbers);
      add(out, '2chat', account.name, 'contacts', base, account.contacts);
      for (const [number, policy] of account.messages) {
        const parent = childAddress(base, 'number', number);
        add(out, '2chat', account.name, 'messages', parent, policy, {
          scope: number,
          owner: parent,
          ...(policy.lookBackMs !== undefined ? { lookBackMs: policy.lookBackMs } : {}),
        });
      }
      break;
  }
  return out;
}

export const allManagedCollections = (desired: Desired): ManagedCollection[] =>
  desired.accounts.flatMap(managedCollections);
