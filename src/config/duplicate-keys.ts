import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { normaliseE164 } from '../shared/ids.js';
import type { SourceProblem } from '../shared/source-error.js';
import type { YamlSource } from '../shared/yaml-source.js';

/** How the keys of one kind of mapping name a resource: two keys with one name are one resource. */
interface KeyKind {
  readonly what: string;
  readonly normalise: (key: string) => string;
}

const ACCOUNT: KeyKind = { what: 'account', normalise: (k) => k };
/** `110100001`, `"110100001"` and `"0110100001"` are the instance 110100001. */
const INSTANCE: KeyKind = { what: 'instance', normalise: (k) => (/^[0-9]+$/.test(k) ? String(BigInt(k)) : k) };
/** `"+52 155 1111 2222"` and `"+5215511112222"` are one number. */
const NUMBER: KeyKind = { what: 'number', normalise: (k) => normaliseE164(k) ?? k };

const mapAt = (map: unknown, key: string): YAMLMap | undefined => {
  if (!isMap(map)) return undefined;
  const value = map.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === key)?.value;
  return isMap(value) ? value : undefined;
};

/**
 * Keys that name the same account, instance or number after normalisation: `110100001:` beside
 * `"0110100001":` (each section's `prune` would delete what the other keeps), or `110100001:` beside
 * `"110100001":` (YAML sees two keys, one int and one string, and the second silently replaces the
 * first). Each is one error at the later key, naming both positions.
 */
export function duplicateKeyProblems(source: YamlSource): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const check = (map: YAMLMap | undefined, kind: KeyKind, where: string): void => {
    if (!map) return;
    const first = new Map<string, Pair>();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const text = String(pair.key.value);
      const name = kind.normalise(text);
      const prev = first.get(name);
      if (!prev) {
        first.set(name, pair);
        continue;
      }
      const a = source.startOf(prev.key as never);
      const b = source.startOf(pair.key as never);
      const prevText = String((prev.key as { value: unknown }).value);
      const same =
        prevText === text ? `\`${text}\` is given twice` : `\`${text}\` is the same ${kind.what} as \`${prevText}\``;
      problems.push({
        file: source.file,
        ...b,
        message: `${same} in ${where} (line ${a.line}, col ${a.col}, and line ${b.line}, col ${b.col}); give each ${kind.what} once`,
      });
    }
  };
  const root = source.doc.contents;
  for (const provider of ['green-api', 'wabotify', '2chat']) {
    const accounts = mapAt(root, provider);
    check(accounts, ACCOUNT, provider);
    for (const pair of accounts?.items ?? []) {
      const account = isMap(pair.value) ? pair.value : undefined;
      const name = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (provider === 'green-api') check(mapAt(account, 'instances'), INSTANCE, `${provider}.${name}.instances`);
      if (provider === '2chat') check(mapAt(account, 'messages'), NUMBER, `${provider}.${name}.messages`);
    }
  }
  return problems;
}
