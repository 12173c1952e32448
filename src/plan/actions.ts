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

const PROVIDER_ORDER: Readonly<Record<string, number>> = { 'green-api': 0, wabotify: 1, '2chat': 2 };

export function compareActions(a: Action, b: Action): number {
  return (
    PROVIDER_ORDER[a.provider]! - PROVIDER_ORDER[b.provider]! ||
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

/** What an action may have beyond the defaults (the item's rule as reason, no warnings, no dependencies). */
type Extra = Partial<Pick<Action, 'reason' | 'warnings' | 'dependsOn' | 'expected'>>;

/** One action, its keys always in this order (no spreads: a plan may make hundreds of thousands). */
function action(m: ManagedCollection, d: Removal, type: ActionType, target: Action['target'], extra?: Extra): Action {
  const made: { -readonly [K in keyof Action]: Action[K] } = {
    address: d.item.address,
    type,
    provider: m.provider,
    account: m.account,
    collection: m.ref.address,
    target,
    reason: extra?.reason ?? d.rule,
    warnings: extra?.warnings ?? NONE,
    dependsOn: extra?.dependsOn ?? NONE,
    reversible: isReversible(m.provider, type),
  };
  if (extra?.expected !== undefined) made.expected = extra.expected;
  return made;
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
  const facts = item.facts;
  const name = m.ref.kind === 'contacts' || !item.name ? {} : { name: item.name };
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
    case 'contacts': {
      // Keys in this order: id, instance, phoneChatId, name, then what the archive keeps so that restore can
      // re-create the contact (phone, firstName, lastName).
      const target: { -readonly [K in keyof Action['target']]: Action['target'][K] } = { id: item.id };
      if (m.provider === 'green-api') {
        target.instance = m.ref.scope ?? '';
        // DeleteContact takes the phone as a personal chat id: a contact listed by its LID goes by its resolved phone.
        if (facts.kind === 'contact' && facts.phone && item.id.endsWith('@lid')) target.phoneChatId = facts.phone;
      }
      if (item.name) target.name = item.name;
      if (facts.kind === 'contact') {
        if (facts.phone) target.phone = facts.phone;
        if (facts.firstName) target.firstName = facts.firstName;
        if (facts.lastName) target.lastName = facts.lastName;
      }
      return [action(m, d, 'delete-contact', target)];
    }
  }
}
