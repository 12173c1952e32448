import { type Document, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { mapAt } from '../config/edit.js';
import type { AccountConfig } from '../config/model.js';
import type { ObservedCollection, ObservedItem } from '../model/observed.js';
import { decideItem } from '../plan/decide.js';
import { type ManagedCollection, managedCollections } from '../plan/managed.js';
import { plainText } from '../render/safe-text.js';

/** Where a managed collection is written in the file. */
function pathOf(account: AccountConfig, m: ManagedCollection): string[] {
  const root = [account.provider, account.name];
  if (m.ref.kind === 'instances') return [...root, 'partner', 'instances'];
  if (account.provider === 'green-api') return [...root, 'instances', m.ref.scope ?? '', m.ref.kind];
  return [...root, m.ref.kind];
}

/**
 * Items of a `prune: true` collection that nothing in the file names (no keep, protect or remove
 * entry, not an own id): the ones a plan would remove only because the file does not mention them.
 */
export function unmentioned(m: ManagedCollection, observed: ObservedCollection, now: Date): ObservedItem[] {
  if (!m.policy.prune || m.ref.kind === 'messages') return [];
  return observed.items.filter((item) => {
    const v = decideItem(m, observed.ownIds, item, now);
    return v.decision === 'remove' && v.entry === undefined;
  });
}

/** Appends ids to the collection's `keep` list (created as a block list when absent), each with its name as a comment. */
function appendKeep(doc: Document, map: YAMLMap, items: readonly ObservedItem[], asNumbers: boolean): void {
  let keep = map.get('keep', true) as Node | undefined;
  if (!isSeq(keep)) {
    keep = doc.createNode([]) as YAMLSeq;
    (keep as YAMLSeq).flow = false;
    map.set('keep', keep);
  }
  const seq = keep as YAMLSeq;
  for (const item of [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const scalar = doc.createNode(asNumbers ? Number(item.id) : item.id) as Node;
    // A comment is one line: controls are escaped by plainText, so a name cannot end it early.
    if (!seq.flow && item.name && isScalar(scalar)) scalar.comment = ` ${plainText(item.name, 80)}`;
    seq.items.push(scalar);
  }
}

/**
 * `export` of an existing file: the file stays as written (rules, globs, `remove` lists, message
 * retention, collections it does not manage) and only ids that nothing in it matches are added to
 * the `keep` list of their `prune: true` collection, so that they are no longer planned for removal.
 * Returns how many ids were added per collection address.
 */
export function addUnmentioned(
  doc: Document,
  account: AccountConfig,
  collections: readonly ObservedCollection[],
  now: Date,
): Map<string, number> {
  const byAddress = new Map(collections.map((c) => [c.ref.address, c]));
  const added = new Map<string, number>();
  for (const m of managedCollections(account)) {
    const observed = byAddress.get(m.ref.address);
    if (!observed || observed.error || observed.unconfirmed) continue;
    const items = unmentioned(m, observed, now);
    const map = mapAt(doc, pathOf(account, m));
    if (items.length === 0 || !map) continue;
    appendKeep(doc, map, items, m.ref.kind === 'instances');
    added.set(m.ref.address, items.length);
  }
  return added;
}
