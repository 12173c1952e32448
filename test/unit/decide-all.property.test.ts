import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactIdsMatch, makeEntry } from '../../src/config/entry.js';
import type { CollectionPolicy, Entry } from '../../src/config/model.js';
import { decisionCode } from '../../src/model/decision-table.js';
import type { CollectionKind, ItemFacts, ObservedItem } from '../../src/model/observed.js';
import type { ProviderType } from '../../src/model/provider.js';
import { CollectionDecider, unmatchedEntries } from '../../src/plan/decide.js';
import { DecisionSlots } from '../../src/plan/decision-slots.js';
import type { ManagedCollection } from '../../src/plan/managed.js';
import { holdsSecretInName } from '../../src/plan/observed-ids.js';
import { CHAT_ID } from '../../src/shared/ids.js';
import { forgetSecrets, registerSecret } from '../../src/shared/redact.js';
import { NOW } from '../helpers/builders.js';

/**
 * `CollectionDecider.decideAll` decides most items on paths of its own (an id an exact keep entry
 * names; an id none names, in a collection without protect entries, managed instances or retention).
 * Whatever the collection, it must give every item the rule `decide` gives it, one item at a time,
 * and count what `decide` counts: repeats, missing kept ids, unresolved LIDs, suspect items.
 */

const PHONES = Array.from({ length: 8 }, (_, i) => `7900000000${i}@c.us`);
const GROUPS = ['120363043968066561@g.us', '120363043968066562@g.us', '79000000001-1600000000@g.us'];
const INSTANCES = ['1101000001', '1101000002'];
const LIDS = ['123456780@lid', '123456781@lid', '123456782@lid'];
// Ids a provider should not send: a capital, a space, a bare number (each fails the syntax check).
const ODD = ['79000000001@C.US', '7900 0000002@c.us', '79000000003'];
const SECRET = 'tok-0123456789abcdef';
const NAMES = ['Alice', 'Team Anna', 'Team Bob', 'VIP Carol', 'my bot', 'spam-1', '', `leak ${SECRET}`];

const at = { line: 1, col: 1 };
const exactId = (id: string): Entry => makeEntry({ text: id, field: 'id', pattern: id, exact: true, at });
const glob = (field: 'id' | 'name', pattern: string): Entry =>
  makeEntry({ text: `{${field}: ${pattern}}`, field, pattern, exact: !/[*?]/.test(pattern), at });

const entryArb = fc.oneof(
  fc.constantFrom(...PHONES, ...LIDS, ...GROUPS, ...INSTANCES).map(exactId),
  fc.constantFrom('Team *', '*bot*', 'VIP ?arol', 'Alice', '*-1').map((p) => glob('name', p)),
  fc.constantFrom('7900000000*', '*@lid', '79?000000001@c.us').map((p) => glob('id', p)),
);
const listArb = fc.array(entryArb, { maxLength: 6 });

const itemArb = fc.record({
  id: fc.constantFrom(...PHONES, ...LIDS, ...ODD, ...GROUPS, ...INSTANCES),
  name: fc.constantFrom(...NAMES),
  contactName: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
  phone: fc.option(fc.constantFrom(...PHONES), { nil: undefined }),
});

const caseArb = fc.record({
  provider: fc.constantFrom<ProviderType>('green-api', 'green-api', '2chat'),
  kind: fc.constantFrom<CollectionKind>('contacts', 'contacts', 'contacts', 'contacts', 'groups', 'instances'),
  prune: fc.boolean(),
  keep: listArb,
  remove: listArb,
  protect: fc.oneof(fc.constant<Entry[]>([]), listArb),
  proven: fc.boolean(),
  managedIds: fc.oneof(fc.constant(undefined), fc.constant([]), fc.constant([PHONES[1]!, INSTANCES[0]!])),
  ownIds: fc.array(fc.constantFrom(PHONES[0]!, PHONES[2]!, '+7 900 000 0000 2', '79000000003', LIDS[0]!, GROUPS[0]!), {
    maxLength: 2,
  }),
  items: fc.array(itemArb, { maxLength: 30 }),
  sorted: fc.boolean(),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function managedOf(c: Case): ManagedCollection {
  const policy: CollectionPolicy = {
    prune: c.prune,
    keep: c.keep,
    remove: c.remove,
    protect: c.protect,
    safety: { maxDeletePercent: 100, minItems: 10 },
    at,
  };
  // The loader records that every exact contact id has the chat id syntax, when it does.
  if (c.proven && c.kind === 'contacts')
    for (const list of [policy.keep, policy.remove, policy.protect])
      if (list.every((e) => !(e.field === 'id' && e.exact) || CHAT_ID.test(e.pattern))) exactIdsMatch(list, CHAT_ID);
  const address = `green-api.main/instance.1101000001/${c.kind}`;
  return {
    ref: { address, kind: c.kind, scope: '1101000001' },
    provider: c.provider,
    account: 'main',
    accountAddress: 'green-api.main',
    policy,
    ...(c.managedIds ? { managedIds: c.managedIds } : {}),
  };
}

function itemsOf(c: Case): ObservedItem[] {
  const items = c.items.map((x): ObservedItem => {
    const facts: ItemFacts =
      c.kind === 'groups'
        ? { kind: 'group', admin: { isAdmin: true, lastAdmin: false } }
        : c.kind === 'instances'
          ? { kind: 'instance', expired: false, state: 'authorized' }
          : {
              kind: 'contact',
              ...(x.contactName !== undefined ? { contactName: x.contactName } : {}),
              ...(x.phone !== undefined && x.id.endsWith('@lid') ? { phone: x.phone } : {}),
            };
    return { id: x.id, address: `green-api.main/instance.1101000001/contact.${x.id}`, name: x.name, facts };
  });
  // Sorted lists take the shortcut for repeats (ascending ids); shuffled ones break it.
  return c.sorted ? items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : items;
}

describe('CollectionDecider.decideAll', () => {
  it('decides and counts every item as decide does, one item at a time', () => {
    registerSecret(SECRET);
    try {
      fc.assert(
        fc.property(caseArb, (c) => {
          const managed = managedOf(c);
          const items = itemsOf(c);

          const one = new CollectionDecider(managed, c.ownIds, NOW);
          const expected = items.map((item) => {
            const r = one.decide(item);
            return { r, code: one.rules.code(r), suspect: !one.validId || holdsSecretInName(item) };
          });

          const all = new CollectionDecider(managed, c.ownIds, NOW);
          const slots = new DecisionSlots(new Uint8Array(items.length), decisionCode('keep'), items, all);
          const got = all.decideAll(items, slots);

          expect(items.map((_, i) => slots.ruleIndex(i))).toEqual(expected.map((e) => e.r));
          expect(items.map((_, i) => slots.code(i))).toEqual(expected.map((e) => e.code));
          expect(all.rules.length).toBe(one.rules.length);
          expect(all.repeated).toBe(one.repeated);
          expect(all.missing()).toEqual(one.missing());
          expect(got.suspect).toBe(expected.some((e) => e.suspect));
          expect(got.unresolved).toBe(expected.filter((e) => e.r === one.rules.unresolvedLid).length);
          const tally = [0, 0, 0, 0, 0];
          for (const e of expected) tally[e.code]!++;
          expect(got.tally).toEqual(tally);
          // The keep patterns decideAll saw match are not looked for again: the same warnings.
          expect(unmatchedEntries(managed, items, all.keepPatternsMatched)).toEqual(unmatchedEntries(managed, items));
        }),
        { numRuns: 5000, seed: 20261127 },
      );
    } finally {
      forgetSecrets();
    }
  });
});
