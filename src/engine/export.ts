import { type Document, isScalar, type Node, type YAMLMap } from 'yaml';
import { ensureMapPath, mapAt, setKey } from '../config/edit.js';
import { formatConfig } from '../config/format.js';
import type { AccountConfig, Desired } from '../config/model.js';
import type { CollectionKind, CollectionRef, ObservedCollection, ObservedItem } from '../model/observed.js';
import { checkObservedIds } from '../plan/observed-ids.js';
import type { AccountSession } from '../providers/types.js';
import { plainText } from '../render/safe-text.js';
import { accountAddress, childAddress, collectionAddress } from '../shared/address.js';
import { YamlSource } from '../shared/yaml-source.js';
import { addUnmentioned } from './export-refresh.js';
import { explainListErrors } from './list-errors.js';

/** What export found for one account: observed collections, and why some could not be read. */
export interface ExportedAccount {
  readonly account: AccountConfig;
  readonly collections: readonly ObservedCollection[];
}

const ref = (parent: string, kind: CollectionKind, scope?: string): CollectionRef => ({
  address: collectionAddress(parent, kind),
  kind,
  ...(scope ? { scope } : {}),
});
const NOTHING = { mayRemove: () => new Set<string>() };

/**
 * Observes everything that exists in one account (not only what the config manages): GREEN-API
 * partner instances, then contacts and groups of every configured or partner-listed instance;
 * Wabotify contacts; 2Chat numbers and contacts. Messages are a retention policy, not a set to
 * keep, and are not exported.
 */
export async function observeEverything(
  account: AccountConfig,
  session: AccountSession,
  now: Date,
): Promise<ExportedAccount> {
  const { collections } = await observeAll(account, session, now);
  // The planner's input check: export never writes a keep list from ids a plan would refuse.
  return { account, collections: collections.map((c) => checkObservedIds(account.provider, c)) };
}

async function observeAll(account: AccountConfig, session: AccountSession, now: Date): Promise<ExportedAccount> {
  const base = accountAddress(account.provider, account.name);
  const hooks = { ...NOTHING, now };
  if (account.provider === 'wabotify')
    return { account, collections: explainListErrors(await session.observe([ref(base, 'contacts')], hooks), account) };
  if (account.provider === '2chat')
    return {
      account,
      collections: explainListErrors(
        await session.observe([ref(base, 'numbers'), ref(base, 'contacts')], hooks),
        account,
      ),
    };
  const collections: ObservedCollection[] = [];
  const ids = new Set(account.instances.map((i) => String(i.id)));
  if (account.partner) {
    const [listing] = await session.observe([ref(base, 'instances')], hooks);
    collections.push(listing!);
    for (const item of listing!.items) ids.add(item.id);
  }
  const refs = [...ids].flatMap((id) => {
    const parent = childAddress(base, 'instance', id);
    return [ref(parent, 'contacts', id), ref(parent, 'groups', id)];
  });
  collections.push(...(await session.observe(refs, hooks)));
  return { account, collections: explainListErrors(collections, account) };
}

/** `{prune: true, keep: [...]}` with each id's name as a comment. */
function keepAll(doc: Document, items: readonly ObservedItem[], asNumbers: boolean): Node {
  const node = doc.createNode({ prune: true }) as YAMLMap;
  const keep = doc.createNode(
    [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((i) => (asNumbers ? Number(i.id) : i.id)),
  ) as Node & { items: Node[] };
  const names = new Map(items.map((i) => [i.id, i.name]));
  for (const scalar of keep.items) {
    const name = isScalar(scalar) ? names.get(String(scalar.value)) : undefined;
    // A comment is one line: controls are escaped by plainText, so a name cannot end it early.
    if (name && isScalar(scalar)) scalar.comment = ` ${plainText(name, 80)}`;
  }
  (keep as unknown as { flow: boolean }).flow = false;
  node.set('keep', keep);
  return node;
}

/**
 * With `refresh` (export of an existing file): see `addUnmentioned`; the file stays as written.
 * Without (a config seeded from flags: accounts and credentials, no collections yet): adds every
 * observed collection as `prune: true` with a full keep list, so that the config keeps everything
 * that exists. Messages are never exported (observeEverything does not list them). The result is
 * canonical (`chatstate fmt`).
 */
export function exportConfig(
  file: string,
  text: string,
  accounts: readonly ExportedAccount[],
  refresh?: { now: Date },
): { text: string; notes: string[] } {
  const source = YamlSource.parse(file, text);
  const doc = source.doc as unknown as Document;
  const notes: string[] = [];
  if (refresh) {
    for (const { account, collections } of accounts) {
      for (const [address, n] of addUnmentioned(doc, account, collections, refresh.now))
        notes.push(`${address}: ${n} id${n === 1 ? '' : 's'} added to keep`);
    }
    return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: true, indent: 2 }), notes };
  }
  for (const { account, collections } of accounts) {
    const root = [account.provider, account.name];
    for (const c of collections) {
      if (c.error) continue;
      if (c.unconfirmed) {
        notes.push(`${c.ref.address}: not exported (${c.unconfirmed}); its entries in the file are left as they are`);
        continue;
      }
      if (c.ref.kind === 'instances') {
        setPartnerInstances(doc, root, keepAll(doc, c.items, true));
        continue;
      }
      const path = c.ref.scope && account.provider === 'green-api' ? [...root, 'instances', c.ref.scope] : root;
      ensureMapPath(doc, path);
      setKey(doc, mapAt(doc, path)!, c.ref.kind, keepAll(doc, c.items, false));
    }
  }
  return { text: formatConfig(file, doc.toString({ lineWidth: 0, flowCollectionPadding: true, indent: 2 })), notes };
}

function setPartnerInstances(doc: Document, root: readonly string[], value: Node): void {
  ensureMapPath(doc, [...root, 'partner']);
  setKey(doc, mapAt(doc, [...root, 'partner'])!, 'instances', value);
}

/** Accounts of the config to export, after `--provider` / `--account` filters. */
export function selectAccounts(desired: Desired, provider?: string, account?: string): AccountConfig[] {
  return desired.accounts.filter((a) => (!provider || a.provider === provider) && (!account || a.name === account));
}
