import { type Document, isMap, isScalar, type Node, type YAMLMap } from 'yaml';

/** Edits of a parsed config document (export): find, set and create mappings, keeping comments and order. */

/** The mapping at `path` (keys compared as text: instance ids are integer keys), or undefined. */
export function mapAt(doc: Document, path: readonly string[]): YAMLMap | undefined {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key)?.value;
  }
  return isMap(node) ? node : undefined;
}

/** Sets `key` in `map`, replacing its value if present (keeping the key's comments and place). */
export function setKey(doc: Document, map: YAMLMap, key: string, value: Node): void {
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (pair) pair.value = value;
  else map.set(doc.createNode(key), value);
}

/** Makes every mapping on `path` exist; an absent or empty one (`1101000002:`) becomes a fresh map, instance ids integer keys. */
export function ensureMapPath(doc: Document, path: readonly string[]): void {
  let map = doc.contents as YAMLMap;
  for (const segment of path) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (pair && isMap(pair.value)) {
      map = pair.value;
      continue;
    }
    // Absent, or present but empty (`1101000002:`): a fresh map; instance ids stay integer keys.
    const next = doc.createNode({}) as YAMLMap;
    if (pair) pair.value = next;
    else map.set(doc.createNode(/^\d{1,10}$/.test(segment) ? Number(segment) : segment), next);
    map = next;
  }
}
