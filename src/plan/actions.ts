import { type Action, type ActionType, actionKey } from '../model/action.js';
import type { ItemFacts, ObservedItem } from '../model/observed.js';
import type { ManagedCollection } from './managed.js';
import { isReversible } from './reversible.js';

/** WhatsApp deletes a message for everyone only within 60 hours of sending (providers.md). */
export const WHATSAPP_DELETE_WINDOW_MS = 60 * 3_600_000;

/** Execution phases: what a resource contains goes before the resource (groups, contacts, messages, then numbers and instances). */
export const PHASE: Readonly<Record<ActionType, number>> = {
  'leave-group': 0,
  'delete-contact': 1,
  'delete-message': 1,
  'delete-number': 3,
  'logout-instance': 4,
  'delete-instance': 5,
};

const PROVIDER_ORDER = ['green-api', 'wabotify', '2chat'];

export function compareActions(a: Action, b: Action): number {
  return (
    PROVIDER_ORDER.indexOf(a.provider) - PROVIDER_ORDER.indexOf(b.provider) ||
    (a.account < b.account ? -1 : a.account > b.account ? 1 : 0) ||
    PHASE[a.type] - PHASE[b.type] ||
    (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)
  );
}

/** One removal: the observed item and the rule that removes it. */
export interface Removal {
  readonly item: ObservedItem;
  readonly rule: string;
}

const NONE: readonly string[] = Object.freeze([]);

function action(
  m: ManagedCollection,
  d: Removal,
  type: ActionType,
  target: Action['target'],
  extra: Partial<Action> = {},
): Action {
  return {
    address: d.item.address,
    type,
    provider: m.provider,
    account: m.account,
    collection: m.ref.address,
    target,
    reason: d.rule,
    warnings: NONE,
    dependsOn: NONE,
    reversible: isReversible(m.provider, type),
    ...extra,
  };
}

/**
 * DeleteInstanceAccount warns that deleting does not log the linked device out. Instances are logged
 * out first in every state where a linked session may remain: authorized, yellowCard, sleepMode
 * (phone off), starting (rebooting), and unknown. notAuthorized has none; null is still being
 * provisioned. Expired (every instance method answers 400) and blocked (banned) instances cannot be
 * logged out through the API: see `sessionHazard`.
 */
const NO_SESSION: ReadonlySet<string | null> = new Set(['notAuthorized', null]);

/** Why an instance cannot be logged out through the API before its deletion, if it cannot. */
function sessionHazard(facts: { state?: string | null; expired: boolean }): string | undefined {
  if (facts.expired) {
    return 'its account is expired, so GREEN-API refuses logout: a phone linked to it keeps the session; remove it on the phone (WhatsApp > Linked devices), or renew the instance and plan again to log it out first';
  }
  if (facts.state === 'blocked') {
    return 'it is blocked (banned), so it cannot be logged out through the API: check the phone (WhatsApp > Linked devices) and remove the linked device there';
  }
  return undefined;
}

/** What the archive keeps of a contact beyond id and name, so that restore can re-create it. */
function contactRecord(facts: ObservedItem['facts']): Partial<Action['target']> {
  if (facts.kind !== 'contact') return {};
  return {
    ...(facts.phone ? { phone: facts.phone } : {}),
    ...(facts.firstName ? { firstName: facts.firstName } : {}),
    ...(facts.lastName ? { lastName: facts.lastName } : {}),
  };
}

type MessageFacts = Extract<ItemFacts, { kind: 'message' }>;

/**
 * What WhatsApp will keep although 2Chat deletes its copy: a message older than 60 hours (judged
 * by the earliest instant a time without a zone can mean: when unsure, partial), and a message the
 * own number did not send, unless it is an admin of the group (WhatsApp lets only the sender, or a
 * group admin, delete a message for everyone).
 */
export function messageHazards(facts: MessageFacts, judgedAt: Date): string[] {
  const warnings: string[] = [];
  const age = (iso: string): number => judgedAt.getTime() - Date.parse(iso);
  if (age(facts.sentAt) >= WHATSAPP_DELETE_WINDOW_MS) {
    warnings.push(
      'sent more than 60 hours before the plan expires: 2Chat deletes only its own copy, WhatsApp keeps the message',
    );
  } else if (facts.sentAtEarliest !== undefined && age(facts.sentAtEarliest) >= WHATSAPP_DELETE_WINDOW_MS) {
    warnings.push(
      '2Chat gives its time without a time zone: it may be more than 60 hours before the plan expires, when 2Chat deletes only its own copy',
    );
  }
  if (facts.sentBy === 'user' && !facts.group) {
    warnings.push(
      'received from the other party: WhatsApp lets only the sender delete it for everyone, so 2Chat deletes only its own copy',
    );
  } else if (facts.sentBy === 'user' && facts.admin !== true) {
    warnings.push(
      facts.admin === false
        ? 'sent by another participant of a group where this number is not an admin: 2Chat deletes only its own copy'
        : 'sent by another participant of a group: unless this number is a group admin, 2Chat deletes only its own copy',
    );
  }
  return warnings;
}

/** The actions that remove one decided item, with the hazards the plan already knows about. */
export function actionsFor(m: ManagedCollection, d: Removal, judgedAt: Date): Action[] {
  const { item } = d;
  const name = item.name ? { name: item.name } : {};
  const facts = item.facts;
  switch (m.ref.kind) {
    case 'instances': {
      const state = facts.kind === 'instance' ? facts.state : undefined;
      const hazard = facts.kind === 'instance' ? sessionHazard(facts) : undefined;
      if (hazard)
        return [action(m, d, 'delete-instance', { id: item.id, ...name }, { warnings: [hazard], expected: 'partial' })];
      if (state !== undefined && NO_SESSION.has(state))
        return [action(m, d, 'delete-instance', { id: item.id, ...name })];
      const logout = action(
        m,
        d,
        'logout-instance',
        { id: item.id, ...name },
        { reason: `before delete: instance is ${state ?? 'in an unknown state'}` },
      );
      return [logout, action(m, d, 'delete-instance', { id: item.id, ...name }, { dependsOn: [actionKey(logout)] })];
    }
    case 'groups':
      return [action(m, d, 'leave-group', { id: item.id, instance: m.ref.scope ?? '', ...name })];
    case 'numbers':
      return [
        action(m, d, 'delete-number', {
          id: item.id,
          number: item.id,
          ...(facts.kind === 'number' ? { uuid: facts.uuid } : {}),
          ...name,
        }),
      ];
    case 'messages': {
      if (facts.kind !== 'message') return [];
      const warnings = messageHazards(facts, judgedAt);
      const target = { id: item.id, number: m.ref.scope ?? '', sessionKey: facts.sessionKey };
      return [
        action(m, d, 'delete-message', target, {
          warnings,
          ...(warnings.length > 0 ? { expected: 'partial' as const } : {}),
        }),
      ];
    }
    case 'contacts':
      if (m.provider !== 'green-api')
        return [action(m, d, 'delete-contact', { id: item.id, ...name, ...contactRecord(facts) })];
      {
        // DeleteContact takes the phone as a personal chat id: a contact listed by its LID goes by its resolved phone.
        const phoneChatId = facts.kind === 'contact' && item.id.endsWith('@lid') ? facts.phone : undefined;
        return [
          action(m, d, 'delete-contact', {
            id: item.id,
            instance: m.ref.scope ?? '',
            ...(phoneChatId ? { phoneChatId } : {}),
            ...name,
            ...contactRecord(facts),
          }),
        ];
      }
  }
}
