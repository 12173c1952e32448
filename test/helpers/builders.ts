import type { Desired } from '../../src/config/model.js';
import type { CollectionKind, ItemFacts, ObservedCollection, ObservedItem } from '../../src/model/observed.js';
import type { Plan } from '../../src/model/plan.js';
import type { PlanOptions } from '../../src/plan/plan.js';
import { planActions } from '../../src/plan/plan.js';

export const NOW = new Date('2026-11-25T12:00:00Z');

const ITEM_KIND: Record<CollectionKind, string> = {
  instances: 'instance',
  contacts: 'contact',
  groups: 'group',
  numbers: 'number',
  messages: 'message',
};

/** An observed collection; items are `[id, name?, facts?]`. */
export function collection(
  address: string,
  items: [string, string?, ItemFacts?][],
  extra: Partial<ObservedCollection> = {},
): ObservedCollection {
  const kind = address.slice(address.lastIndexOf('/') + 1) as CollectionKind;
  const parent = address.slice(0, address.lastIndexOf('/'));
  const scope = /instance\.(\d+)$/.exec(parent)?.[1] ?? /number\.(\+\d+)$/.exec(parent)?.[1];
  const defaultFacts = (id: string): ItemFacts =>
    kind === 'groups'
      ? { kind: 'group' }
      : kind === 'instances'
        ? { kind: 'instance', expired: false, state: 'notAuthorized' }
        : kind === 'numbers'
          ? { kind: 'number', uuid: `WPN-${id}`, phone: id, status: 'C' }
          : { kind: 'contact' };
  const observedItems: ObservedItem[] = items.map(([id, name, facts]) => ({
    id,
    address: `${parent}/${ITEM_KIND[kind]}.${id}`,
    name: name ?? '',
    facts: facts ?? defaultFacts(id),
  }));
  return { ref: { address, kind, ...(scope ? { scope } : {}) }, items: observedItems, ownIds: [], notes: [], ...extra };
}

export function message(sentAt: string, sentBy: 'api' | 'agent' | 'user', group = false): ItemFacts {
  return {
    kind: 'message',
    uuid: 'x',
    sessionKey: group ? 'WW-n-1203@g.us' : 'WW-n-5215500000001@c.us',
    remote: group ? '1203@g.us' : '+5215500000001',
    sentAt,
    sentBy,
    group,
  };
}

export function plan(desired: Desired, observed: ObservedCollection[], options: Partial<PlanOptions> = {}): Plan {
  return planActions(desired, observed, {
    now: NOW,
    validForMs: 24 * 3_600_000,
    targets: [],
    allowMassDelete: false,
    toolVersion: 'test',
    ...options,
  });
}

export const summary = (p: Plan): string[] => p.actions.map((a) => `${a.type} ${a.address}`);
