import type { CollectionKind, ObservedCollection, ObservedItem } from '../model/observed.js';
import type { ProviderType } from '../model/provider.js';
import { CHAT_ID, isChatId } from '../shared/ids.js';
import { holdsSecret, redact } from '../shared/redact.js';

/**
 * What an observed id of each collection must look like. Ids the providers document a syntax for are
 * checked exactly (`79876543210@c.us`, never `79876543210@C.US`, ` 7987…`, fullwidth `７９８…`);
 * opaque ids (Wabotify contact ids, 2Chat uuids) must at least be free of spaces, control and
 * invisible (format) characters. An id that fails is not a resource chatstate can safely name: the
 * whole collection fails rather than be planned (docs/architecture.md, "Observed ids").
 */
const SYNTAX: { readonly [P in ProviderType]?: { readonly [K in CollectionKind]?: RegExp } } = {
  'green-api': {
    contacts: CHAT_ID,
    groups: /^[0-9]+(?:-[0-9]+)?@g\.us$/,
    instances: /^[0-9]{1,20}$/,
  },
  '2chat': { numbers: /^\+[0-9]{5,20}$/ },
};
const OPAQUE = /^[^\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u;

/**
 * Collections whose valid ids are their own `ownIdKey` (shared/ids.ts): such an id has no space and
 * no capital; `digits@c.us` keys as itself, and `…@lid` or `…@g.us` is not read as a phone number.
 * (A GREEN-API instance id or a 2Chat number keys as `digits@c.us`, not as itself.) Per provider and
 * kind, not by a key made of both: the planner asks once per collection.
 */
export const ownKeyIsId = (provider: ProviderType, kind: CollectionKind): boolean =>
  provider === 'green-api' && (kind === 'contacts' || kind === 'groups');

/** The syntax observed ids of a collection must have. */
export const observedIdSyntax = (provider: ProviderType, kind: CollectionKind): RegExp =>
  SYNTAX[provider]?.[kind] ?? OPAQUE;

/** `syntax.test`, without the regex engine for contact ids (shared/ids.ts `isChatId`). */
export const idSyntaxTest = (syntax: RegExp): ((id: string) => boolean) =>
  syntax === CHAT_ID ? isChatId : (id) => syntax.test(id);

/** A provider that echoes a credential into a name (or a contact name) must not get it printed. */
export const holdsSecretInName = (item: ObservedItem): boolean =>
  holdsSecret(item.name) ||
  (item.facts.kind === 'contact' && item.facts.contactName !== undefined && holdsSecret(item.facts.contactName));

function withoutSecrets(item: ObservedItem): ObservedItem {
  if (!holdsSecretInName(item)) return item;
  const facts =
    item.facts.kind === 'contact' && item.facts.contactName !== undefined
      ? { ...item.facts, contactName: redact(item.facts.contactName) }
      : item.facts;
  return { ...item, name: redact(item.name), facts };
}

/** `"79876543210@C.US"` with invisible and control characters shown as `\u{…}`. */
const shown = (id: string): string =>
  JSON.stringify(id).replace(/[^\x20-\x7e]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);

/**
 * The syntax half of the planner's input check: an invalid id fails the collection (with an error
 * naming the id); names a provider echoed a credential into are redacted.
 */
export function checkObservedSyntax(provider: ProviderType, observed: ObservedCollection): ObservedCollection {
  if (observed.error) return observed;
  const invalid: string[] = [];
  const syntax = observedIdSyntax(provider, observed.ref.kind);
  for (const item of observed.items) if (typeof item.id !== 'string' || !syntax.test(item.id)) invalid.push(item.id);
  if (invalid.length > 0) {
    const list = invalid.slice(0, 3).map(shown).join(', ');
    const more = invalid.length > 3 ? ` and ${invalid.length - 3} more` : '';
    return {
      ...observed,
      items: [],
      error: new Error(
        `${provider} listed ${invalid.length === 1 ? 'an id that is' : `${invalid.length} ids that are`} not valid ${observed.ref.kind} ids (${list}${more}); nothing is planned for ${observed.ref.address}. Check the provider's answer (run with --verbose)`,
      ),
    };
  }
  if (!observed.items.some(holdsSecretInName)) return observed;
  return { ...observed, items: observed.items.map(withoutSecrets) };
}

/**
 * The duplicate half: an id listed twice counts once (the first record is kept), so that forty
 * copies of one kept contact cannot dilute the mass-deletion brake. The same collection when none is.
 */
export function withoutDuplicates(observed: ObservedCollection): ObservedCollection {
  const once = new Set<string>();
  const items: ObservedItem[] = [];
  for (const item of observed.items) {
    if (once.has(item.id)) continue;
    once.add(item.id);
    items.push(item);
  }
  const duplicates = observed.items.length - items.length;
  if (duplicates === 0) return observed;
  return {
    ...observed,
    items,
    notes: [
      ...observed.notes,
      `the provider listed ${duplicates} duplicate id${duplicates === 1 ? '' : 's'}; each counts once`,
    ],
  };
}

/**
 * The planner's input check for one observed collection: `checkObservedSyntax`, then
 * `withoutDuplicates`. (The planner itself finds duplicates while deciding, and only then removes them.)
 */
export function checkObservedIds(provider: ProviderType, observed: ObservedCollection): ObservedCollection {
  const checked = checkObservedSyntax(provider, observed);
  return checked.error ? checked : withoutDuplicates(checked);
}
