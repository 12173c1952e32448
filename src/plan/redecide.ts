import type { Desired } from '../config/model.js';
import { type Action, type ActionOutcome, type ActionTarget, type ActionType, actionKey } from '../model/action.js';
import type { CollectionKind, ObservedCollection } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import { childAddress } from '../shared/address.js';
import { redact } from '../shared/redact.js';
import { allManagedCollections, ITEM, type ManagedCollection } from './managed.js';
import { planActions } from './plan.js';

/**
 * What apply may do with each reviewed action of a saved plan, decided again at apply time.
 * `known` settles actions without a request; every action not in `known` may be sent. When
 * `refused` is not empty, nothing may be sent at all: the plan file does not describe what it
 * claims to (hand-edited, or made for another config).
 */
export interface Redecision {
  /** By action key: `already-absent` (gone), `failed` (could not be re-read), `skipped` with `stale` (a fresh plan would not make it). */
  readonly known: Map<string, ActionOutcome>;
  /** One line per action whose target and address disagree, or that no decision of a plan can make. */
  readonly refused: string[];
  /** Removals a fresh plan would add: reported, never acted on. */
  readonly drift: string[];
}

const TYPES: Readonly<Record<CollectionKind, readonly ActionType[]>> = {
  instances: ['logout-instance', 'delete-instance'],
  contacts: ['delete-contact'],
  groups: ['leave-group'],
  numbers: ['delete-number'],
  messages: ['delete-message'],
};
/** The target fields that say WHICH resource a request acts on (`name` only explains). */
const IDENTITY: readonly (keyof ActionTarget)[] = [
  'id',
  'instance',
  'number',
  'sessionKey',
  'workspaceId',
  'uuid',
  // DeleteContact is sent to this phone when the contact is listed by its LID: it names the resource too.
  'phoneChatId',
];

/** Why the action, read on its own, is not one any plan makes from its collection; undefined when it is. */
function inconsistency(action: Action, managed: ManagedCollection | undefined): string | undefined {
  if (!managed) return `its collection ${action.collection} is not managed by the config`;
  if (action.provider !== managed.provider || action.account !== managed.account)
    return `it names ${action.provider}.${action.account} but its collection is ${managed.accountAddress}`;
  const kind = managed.ref.kind;
  if (!TYPES[kind].includes(action.type)) return `${action.type} is not an action on ${kind}`;
  const parent = action.collection.slice(0, action.collection.lastIndexOf('/'));
  const expected = childAddress(parent, ITEM[kind], action.target.id);
  if (action.address !== expected)
    return `its target id ${JSON.stringify(action.target.id)} is at ${expected}, not at ${action.address}`;
  const scope = managed.ref.scope;
  if (managed.provider === 'green-api' && kind !== 'instances' && action.target.instance !== scope)
    return `its target instance ${JSON.stringify(action.target.instance)} is not ${scope}`;
  if (action.target.phoneChatId !== undefined && !action.target.id.endsWith('@lid'))
    return `it sends to ${JSON.stringify(action.target.phoneChatId)}, but only a contact listed by its LID has a phone chat id`;
  if (kind === 'messages' && action.target.number !== scope)
    return `its target number ${JSON.stringify(action.target.number)} is not ${scope}`;
  if (kind === 'numbers' && action.target.number !== undefined && action.target.number !== action.target.id)
    return `its target number ${JSON.stringify(action.target.number)} is not ${action.target.id}`;
  return undefined;
}

/**
 * Actions of `plan` that contradict themselves or the config (target vs address, type vs
 * collection, a collection the config does not manage), one line each. Needs no observation: a
 * dry run checks it too.
 */
export function inconsistentActions(plan: Plan, desired: Desired): string[] {
  const managed = new Map(allManagedCollections(desired).map((m) => [m.ref.address, m]));
  const decided = ownDecisions(plan);
  const out: string[] = [];
  for (const action of plan.actions) {
    const problem = inconsistency(action, managed.get(action.collection)) ?? decided(action);
    if (problem) out.push(`${action.type} ${action.address}: ${problem}`);
  }
  return out;
}

/**
 * Why the action is not one its own plan decided (every action removes an item its collection
 * decided `remove`), or undefined. A plan file names an action's item by its row in the decisions,
 * so an edit that points an action at a kept or protected item contradicts the plan's own decision.
 */
function ownDecisions(plan: Plan): (action: Action) => string | undefined {
  const byAddress = new Map(plan.collections.map((c) => [c.address, c]));
  const rows = new Map<string, Map<string, number>>();
  return (action) => {
    const c = byAddress.get(action.collection);
    if (!c) return `its collection ${action.collection} is not in the plan`;
    let byId = rows.get(c.address);
    if (!byId) {
      byId = new Map();
      for (let i = c.decisions.length - 1; i >= 0; i--) byId.set(c.decisions.id(i), i);
      rows.set(c.address, byId);
    }
    const row = byId.get(action.target.id);
    if (row === undefined) return `${JSON.stringify(action.target.id)} is not an item the plan observed there`;
    const decision = c.decisions.decision(row);
    return decision === 'remove'
      ? undefined
      : `the plan itself decided ${JSON.stringify(action.target.id)} ${decision} (${c.decisions.rule(row)}), not remove`;
  };
}

const sameResource = (a: ActionTarget, b: ActionTarget): boolean => IDENTITY.every((k) => a[k] === b[k]);

const stale = (action: Action, why: string): ActionOutcome => ({
  address: action.address,
  outcome: 'skipped',
  attempts: 0,
  stale: true,
  detail: `not sent: ${why}`,
});

/**
 * Re-decides every reviewed action of `plan` against the config and a fresh observation, at `now`.
 * Pure: the caller observes. The rule: apply sends an action only when a plan made now would make
 * the same action on the same resource. Anything else is settled here:
 * - the resource is gone → `already-absent`; its collection could not be re-read → `failed`;
 * - a plan made now decides the item otherwise (protected, own number, kept, no longer matched), or
 *   refuses it (last admin), or acts on another resource under the same address → `skipped`
 *   (`stale`), reported and never sent;
 * - the action contradicts itself (target vs address, type vs collection) → `refused`.
 */
export function redecidePlan(
  plan: Plan,
  desired: Desired,
  observed: readonly ObservedCollection[],
  now: Date,
): Redecision {
  const managed = new Map(allManagedCollections(desired).map((m) => [m.ref.address, m]));
  const fresh = planActions(desired, observed, {
    now,
    validForMs: 0,
    targets: plan.targets,
    ...(plan.excludes ? { excludes: plan.excludes } : {}),
    allowMassDelete: true,
    toolVersion: plan.tool.version,
  });
  const freshActions = new Map(fresh.actions.map((a) => [actionKey(a), a]));
  const freshErrors = new Map(fresh.errors.map((e) => [e.collection, e.message]));
  const decisions = new Map(
    fresh.collections.map((c) => [c.address, { status: c.status, byId: new Map(c.decisions.map((d) => [d.id, d])) }]),
  );
  const lastAdmin = new Set(fresh.refusals.filter((r) => r.kind === 'last-admin').map((r) => r.address));
  const known = new Map<string, ActionOutcome>();
  const refused: string[] = [];

  const decided = ownDecisions(plan);
  for (const action of plan.actions) {
    const key = actionKey(action);
    const problem = inconsistency(action, managed.get(action.collection)) ?? decided(action);
    if (problem) {
      refused.push(`${action.type} ${action.address}: ${problem}`);
      continue;
    }
    const error = freshErrors.get(action.collection);
    const collection = decisions.get(action.collection);
    if (error !== undefined || !collection) {
      known.set(key, {
        address: action.address,
        outcome: 'failed',
        attempts: 0,
        detail: `could not re-check it: ${redact(error ?? 'not observed')}`,
      });
      continue;
    }
    const decision = collection.byId.get(action.target.id);
    if (!decision) {
      known.set(key, { address: action.address, outcome: 'already-absent', attempts: 0, detail: 'gone before apply' });
      continue;
    }
    const now = freshActions.get(key);
    if (decision.decision !== 'remove')
      known.set(key, stale(action, `a plan made now would not remove it: ${decision.decision} (${decision.rule})`));
    else if (lastAdmin.has(action.address))
      known.set(key, stale(action, 'the own number is now its last admin; a plan made now refuses to leave it'));
    else if (!now)
      known.set(
        key,
        stale(
          action,
          collection.status === 'superseded'
            ? 'its owner is deleted by a plan made now'
            : 'a plan made now would not make this action',
        ),
      );
    else if (!sameResource(now.target, action.target))
      known.set(
        key,
        stale(action, 'the resource at this address is not the one reviewed (it was re-created); run plan again'),
      );
  }

  const reviewed = new Set(plan.actions.map(actionKey));
  const drift = fresh.actions
    .filter((a) => !reviewed.has(actionKey(a)))
    .map((a) => `${a.type} ${a.address} (${a.reason})`);
  return { known, refused, drift };
}
