import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { YamlSource } from '../shared/yaml-source.js';

/** Top-level keys, in canonical order. */
const TOP_ORDER = ['version', 'safety', 'green-api', 'wabotify', '2chat'];

/** Keys below the top level, in canonical order (settings, then collections, then policy, then limits). */
const KEY_ORDER = [
  'workspaceId',
  'token',
  'apiKey',
  'apiUrl',
  'partner',
  'instances',
  'numbers',
  'contacts',
  'groups',
  'messages',
  'prune',
  'keep',
  'remove',
  'protect',
  'allowEmpty',
  'allowLastAdminLeave',
  'olderThan',
  'sentBy',
  'lookBack',
  'id',
  'name',
  'maxDeletePercent',
  'minItems',
  'safety',
  'rateLimits',
];

const SORTED_LISTS = new Set(['keep', 'remove', 'protect', 'sentBy']);

/**
 * The canonical form of a config file: keys in a fixed order, account names, instance ids and
 * `keep`/`remove`/`protect` lists sorted, comments kept with the node they belong to. Idempotent.
 * Throws SourceError if the file is not valid YAML.
 */
export function formatConfig(file: string, text: string): string {
  const source = YamlSource.parse(file, text);
  canonicalise(source.doc.contents, 0, undefined);
  return source.doc.toString({ lineWidth: 0, flowCollectionPadding: true, indent: 2 });
}

function canonicalise(node: unknown, depth: number, parentKey: string | undefined): void {
  if (isMap(node)) {
    const order = depth === 0 ? TOP_ORDER : KEY_ORDER;
    const first = node.items[0];
    const carried = first ? takeLeadingComment(first) : undefined;
    const firstSpace = first ? spaceBefore(first) : false;
    node.items.sort((a, b) => compareKeys(keyOf(a), keyOf(b), order));
    // The block's first line keeps the block's spacing; a key moved up from below loses its blank line.
    if (first && node.items[0] && node.items[0] !== first) {
      setSpaceBefore(first, false);
      setSpaceBefore(node.items[0], firstSpace);
    }
    if (carried !== undefined && node.items[0]) giveLeadingComment(node.items[0], carried);
    for (const pair of node.items) canonicalise(pair.value, depth + 1, keyOf(pair));
  } else if (isSeq(node)) {
    if (parentKey !== undefined && SORTED_LISTS.has(parentKey)) {
      node.items.sort((a, b) => compareText(entrySortKey(a), entrySortKey(b)));
    }
    for (const item of node.items) canonicalise(item, depth + 1, undefined);
  }
}

/**
 * A comment above the first key belongs to the block, not to that key: it stays at the top when the
 * keys are reordered (the yaml package stores it on the first key).
 */
function takeLeadingComment(pair: Pair): string | undefined {
  const key = pair.key as Node | null;
  if (!key || !isScalar(key) || key.commentBefore === undefined || key.commentBefore === null) return undefined;
  const c = key.commentBefore;
  delete key.commentBefore;
  return c;
}

function giveLeadingComment(pair: Pair, comment: string): void {
  const key = pair.key as Node | null;
  if (key && isScalar(key)) key.commentBefore = key.commentBefore ? `${comment}\n${key.commentBefore}` : comment;
}

function spaceBefore(pair: Pair): boolean {
  return isScalar(pair.key) ? Boolean(pair.key.spaceBefore) : false;
}

function setSpaceBefore(pair: Pair, value: boolean): void {
  if (isScalar(pair.key)) pair.key.spaceBefore = value;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function compareKeys(a: string, b: string, order: readonly string[]): number {
  const ra = order.indexOf(a);
  const rb = order.indexOf(b);
  if (ra !== -1 || rb !== -1) return (ra === -1 ? order.length : ra) - (rb === -1 ? order.length : rb);
  return compareText(a, b);
}

/** Scalars first (by their text), then `{id: …}` / `{name: …}` entries (by field and pattern). */
function entrySortKey(item: unknown): string {
  if (isScalar(item)) return `0${String(item.value)}`;
  if (isMap(item)) {
    const first = item.items.find((p) => ['id', 'name'].includes(keyOf(p)));
    return `1${first ? `${keyOf(first)}=${isScalar(first.value) ? String(first.value.value) : ''}` : ''}`;
  }
  return '2';
}

/** Numbers compare numerically (instance ids), everything else by code points: stable across locales. */
function compareText(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
