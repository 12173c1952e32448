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

/** What some collections have beyond their kind and policy. */
interface Extra {
  readonly scope?: string;
  readonly lookBackMs?: number;
  readonly owner?: string;
  readonly managedIds?: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Adds the collection when the config has a policy for it. Fields are set one by one, not spread: a
 * plan of 1,000 instances makes 1,000 of these, mostly in unoptimised code.
 */
function add(
  out: ManagedCollection[],
  provider: ProviderType,
  account: string,
  base: string,
  kind: CollectionRef['kind'],
  parent: string,
  policy: CollectionPolicy | undefined,
  extra?: Extra,
): void {
  if (!policy) return;
  const ref: Mutable<CollectionRef> = { address: collectionAddress(parent, kind), kind };
  if (extra?.scope !== undefined) ref.scope = extra.scope;
  if (extra?.lookBackMs !== undefined) ref.lookBackMs = extra.lookBackMs;
  const managed: Mutable<ManagedCollection> = { ref, provider, account, accountAddress: base, policy };
  if (extra?.owner !== undefined) managed.owner = extra.owner;
  if (extra?.managedIds !== undefined) managed.managedIds = extra.managedIds;
  out.push(managed);
}

/** Every collection the config mentions, in file order per account. Collections it does not mention are never listed. */
export function managedCollections(account: AccountConfig): ManagedCollection[] {
  const out: ManagedCollection[] = [];
  const name = account.name;
  const base = accountAddress(account.provider, name);
  switch (account.provider) {
    case 'green-api': {
      add(out, 'green-api', name, base, 'instances', base, account.partner?.instances, {
        managedIds: account.instances.filter((i) => i.contacts || i.groups).map((i) => String(i.id)),
      });
      const instances = account.instances;
      for (let k = 0; k < instances.length; k++) {
        const i = instances[k]!;
        if (!i.groups && !i.contacts) continue;
        const scope = String(i.id);
        // The instance's address is its collections' parent and their owner.
        const parent = childAddress(base, 'instance', scope);
        const extra: Extra = { scope, owner: parent };
        add(out, 'green-api', name, base, 'groups', parent, i.groups, extra);
        add(out, 'green-api', name, base, 'contacts', parent, i.contacts, extra);
      }
      break;
    }
    case 'wabotify':
      add(out, 'wabotify', name, base, 'contacts', base, account.contacts);
      break;
    case '2chat':
      add(out, '2chat', name, base, 'numbers', base, account.numbers);
      add(out, '2chat', name, base, 'contacts', base, account.contacts);
      for (const [number, policy] of account.messages) {
        const parent = childAddress(base, 'number', number);
        add(out, '2chat', name, base, 'messages', parent, policy, {
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
