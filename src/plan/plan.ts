import { createHash } from 'node:crypto';
import type { Desired, GroupPolicy } from '../config/model.js';
import type { Action } from '../model/action.js';
import type { ObservedCollection } from '../model/observed.js';
import {
  type CollectionCounts,
  type Decision,
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlannedCollection,
  type PlanProblem,
  type PlanWarning,
  type Refusal,
} from '../model/plan.js';
import { redact } from '../shared/redact.js';
import { actionsFor, compareActions } from './actions.js';
import { decideItem, missingIds, type Removal, UNRESOLVED_LID, unmatchedEntries } from './decide.js';
import { accountEndpoints } from './endpoints.js';
import { allManagedCollections, type ManagedCollection } from './managed.js';
import { checkObservedIds } from './observed-ids.js';
import { selectionMatcher } from './target.js';

export interface PlanOptions {
  readonly now: Date;
  /** How long the plan stays valid; hazards are judged at `now + validFor`. */
  readonly validForMs: number;
  readonly targets: readonly string[];
  /** Addresses left out even when a target selects them (same matching as targets). */
  readonly excludes?: readonly string[];
  readonly allowMassDelete: boolean;
  readonly toolVersion: string;
  /**
   * Addresses chatstate deleted (the apply journal's `done` outcomes) with the time: within the
   * provider's documented propagation lag they are shown as deleted, not planned again.
   */
  readonly recentlyDeleted?: ReadonlyMap<string, string>;
}

/**
 * Documented propagation lags. GetContacts: "Updating information about contacts can take up to 5
 * minutes" (https://green-api.com/en/docs/api/service/GetContacts/).
 */
export function propagationLagMs(provider: string, kind: string): number {
  return provider === 'green-api' && kind === 'contacts' ? 5 * 60_000 : 0;
}

const AWAITING = 'deleted, awaiting propagation';

/**
 * sha256 of the sorted ids, each followed by a newline: equal fingerprints mean the same set was
 * observed. One hash update per collection (not two per id: a million ids made two million).
 */
export function fingerprint(ids: readonly string[]): string {
  const sorted = [...ids].sort();
  return `sha256:${createHash('sha256')
    .update(sorted.length > 0 ? `${sorted.join('\n')}\n` : '')
    .digest('hex')}`;
}

function countDecisions(decisions: readonly Decision[], missing: number): CollectionCounts {
  const c = { observed: decisions.length, kept: 0, removed: 0, protected: 0, unmanaged: 0, missing, notTargeted: 0 };
  for (const d of decisions) {
    if (d.decision === 'keep') c.kept++;
    else if (d.decision === 'remove') c.removed++;
    else if (d.decision === 'protected') c.protected++;
    else if (d.decision === 'not-targeted') c.notTargeted++;
    else c.unmanaged++;
  }
  if (c.notTargeted === 0) {
    const { notTargeted: _, ...rest } = c;
    return rest;
  }
  return c;
}

interface Decided {
  readonly managed: ManagedCollection;
  readonly observed: ObservedCollection;
  readonly decisions: Decision[];
  readonly removals: Removal[];
}

function decideCollection(
  managed: ManagedCollection,
  observed: ObservedCollection,
  now: Date,
  recentlyDeleted?: ReadonlyMap<string, string>,
): Decided {
  const decisions: Decision[] = new Array<Decision>(observed.items.length);
  const removals: Removal[] = [];
  const lag = recentlyDeleted && recentlyDeleted.size > 0 ? propagationLagMs(managed.provider, managed.ref.kind) : 0;
  observed.items.forEach((item, i) => {
    let verdict = decideItem(managed, observed.ownIds, item, now);
    const deletedAt = lag > 0 && verdict.decision === 'remove' ? recentlyDeleted?.get(item.address) : undefined;
    const since = deletedAt === undefined ? NaN : now.getTime() - Date.parse(deletedAt);
    if (since >= 0 && since < lag) {
      verdict = {
        decision: 'unmanaged',
        rule: `${AWAITING} (deleted ${deletedAt}; the provider may list it up to ${lag / 60_000} minutes)`,
      };
    }
    decisions[i] = { id: item.id, name: item.name, decision: verdict.decision, rule: verdict.rule };
    if (verdict.decision === 'remove') removals.push({ item, verdict });
  });
  return { managed, observed, decisions, removals };
}

function lastAdminRefusal(d: Decided, { item, verdict }: Removal): Refusal | undefined {
  const facts = item.facts;
  if (facts.kind !== 'group' || !facts.admin?.lastAdmin) return undefined;
  if ((d.managed.policy as GroupPolicy).allowLastAdminLeave || verdict.entry?.allowLastAdminLeave) return undefined;
  return {
    kind: 'last-admin',
    address: item.address,
    message: `refusing to leave ${item.address}${item.name ? ` ("${item.name}")` : ''}: the own number is its last admin, and the group would be left without one; set allowLastAdminLeave: true on the groups collection or on its remove entry`,
  };
}

/**
 * `removed / observed` as a percentage with as few decimals as show it above `max` (never "30% > 30%":
 * 4 of 13 is 30.77%, 301 of 1,000 is 30.1%, 300,001 of 1,000,000 is 30.0001%).
 */
export function percentAbove(removed: number, observed: number, max: number): string {
  const exact = (removed * 100) / observed;
  if (Number.isInteger(exact)) return `${exact}%`;
  for (let digits = 2; digits <= 8; digits++) {
    const shown = exact.toFixed(digits);
    if (Number(shown) > max) return `${shown.replace(/0+$/, '').replace(/\.$/, '')}%`;
  }
  return `${exact}%`;
}

/**
 * Below `minItems` the percentage brake is off, but a plan that would leave a non-empty collection
 * with nothing but protected items (`prune: true` with no keep list, a keep glob that matches
 * nothing, a remove glob that matches everything) is refused whatever the size, unless the
 * collection says `allowEmpty: true`. Removals the file lists one by one, by exact id under
 * `remove`, are what the file says, and do not trip it.
 */
function emptiesRefusal(
  address: string,
  removals: readonly Removal[],
  observed: number,
  protectedCount: number,
  managed: ManagedCollection,
  allow: boolean,
): Refusal | undefined {
  const removed = removals.length;
  if (allow || managed.policy.allowEmpty || removed === 0 || removed + protectedCount < observed) return undefined;
  if (removals.every((r) => r.verdict.entry?.exact === true && r.verdict.entry.field === 'id')) return undefined;
  const parent = address.slice(0, address.lastIndexOf('/'));
  return {
    kind: 'empties-collection',
    address,
    message: `refusing to remove all ${removed} ${managed.ref.kind} of ${parent}${protectedCount > 0 ? ` (all but ${protectedCount} protected)` : ''}: nothing the file keeps was observed there; check the keep list (globs are case-sensitive), set allowEmpty: true on this collection if emptying it is intended, or pass --allow-mass-delete`,
  };
}

function massDeleteRefusal(
  address: string,
  removed: number,
  observed: number,
  managed: ManagedCollection,
  allow: boolean,
): Refusal | undefined {
  const { maxDeletePercent, minItems } = managed.policy.safety;
  if (allow || observed < minItems || removed * 100 <= maxDeletePercent * observed) return undefined;
  return {
    kind: 'mass-delete',
    address,
    message: `refusing to remove ${removed} of ${observed} ${managed.ref.kind} of ${address.slice(0, address.lastIndexOf('/'))} (${percentAbove(removed, observed, maxDeletePercent)} > ${maxDeletePercent}%); set safety.maxDeletePercent or pass --allow-mass-delete`,
  };
}

/** One decided collection → its plan entry, its actions, warnings and refusals. */
/** A targeted plan: removals --target leaves out are decided `not-targeted`, never acted on. */
function narrowToTargets(
  d: Decided,
  selected: (address: string) => boolean,
): { decisions: Decision[]; removals: Removal[] } {
  const removals = d.removals.filter((r) => selected(r.item.address));
  if (removals.length === d.removals.length) return { decisions: d.decisions, removals };
  const keptIds = new Set(removals.map((r) => r.item.id));
  const decisions = d.decisions.map((x) =>
    x.decision === 'remove' && !keptIds.has(x.id)
      ? { ...x, decision: 'not-targeted' as const, rule: `not targeted (${x.rule})` }
      : x,
  );
  return { decisions, removals };
}

const NOTHING_COUNTED: CollectionCounts = { observed: 0, kept: 0, removed: 0, protected: 0, unmanaged: 0, missing: 0 };

const collectionHead = (managed: ManagedCollection) => ({
  address: managed.ref.address,
  provider: managed.provider,
  account: managed.account,
  kind: managed.ref.kind,
});

/** One decided collection → its plan entry, its actions, warnings and refusals. */
function planCollection(
  d: Decided,
  removedOwners: ReadonlySet<string>,
  selected: (address: string) => boolean,
  judgedAt: Date,
  options: PlanOptions,
) {
  const { managed, observed: obs } = d;
  const address = managed.ref.address;
  const missing = missingIds(managed, obs.items);
  const superseded = managed.owner !== undefined && removedOwners.has(managed.owner);
  const narrowed = options.targets.length > 0 || (options.excludes?.length ?? 0) > 0;
  const targeted = narrowed ? narrowToTargets(d, selected) : { decisions: d.decisions, removals: d.removals };
  const untouched = narrowed && targeted.removals.length === 0 && !selected(address);
  const warnings: PlanWarning[] = [
    ...missing.map((id) => ({ address, message: `${id} is kept by the file but does not exist` })),
    ...unmatchedEntries(managed, obs.items).map((message) => ({ address, message })),
    ...obs.notes.map((message) => ({ address, message })),
  ];
  const counts = countDecisions(targeted.decisions, missing.length);
  const unresolved = d.decisions.reduce((n, x) => (x.rule === UNRESOLVED_LID.rule ? n + 1 : n), 0);
  if (unresolved > 0) {
    warnings.push({
      address,
      message: `${unresolved} contact${unresolved === 1 ? '' : 's'} listed only by LID could not be resolved to a phone number (getContactInfo gave none): protected as "unresolved LID", not removed`,
    });
  }
  const collection: PlannedCollection = {
    ...collectionHead(managed),
    status: superseded ? 'superseded' : untouched ? 'not-targeted' : 'planned',
    fingerprint: fingerprint(obs.items.map((i) => i.id)),
    counts,
    decisions: targeted.decisions,
    missing,
    ...(superseded
      ? { note: `not planned: ${managed.owner} is deleted by this plan` }
      : untouched
        ? { note: 'not targeted' }
        : {}),
  };
  const actions: Action[] = [];
  const refusals: Refusal[] = [];
  if (!superseded) {
    const removals = targeted.removals;
    const brake =
      massDeleteRefusal(address, removals.length, obs.items.length, managed, options.allowMassDelete) ??
      emptiesRefusal(address, removals, obs.items.length, counts.protected, managed, options.allowMassDelete);
    if (brake) refusals.push(brake);
    for (const removal of removals) {
      const refusal = lastAdminRefusal(d, removal);
      if (refusal) refusals.push(refusal);
      for (const a of actionsFor(managed, removal, judgedAt)) actions.push(a);
    }
  }
  return { collection, actions, warnings, refusals };
}

/**
 * The planner: a pure function of the desired state, the observed state and the clock. Every
 * observed resource of every managed collection is decided; removals become actions in dependency
 * order; hazards become warnings or refusals.
 */
export function planActions(desired: Desired, observed: readonly ObservedCollection[], options: PlanOptions): Plan {
  const byAddress = new Map(observed.map((o) => [o.ref.address, o]));
  const judgedAt = new Date(options.now.getTime() + options.validForMs);
  const selected = selectionMatcher(options.targets, options.excludes);
  const errors: PlanProblem[] = [];
  const warnings: PlanWarning[] = [];
  const refusals: Refusal[] = [];
  const failed: PlannedCollection[] = [];
  const decided: Decided[] = [];

  for (const managed of allManagedCollections(desired)) {
    const raw = byAddress.get(managed.ref.address);
    const obs = raw && checkObservedIds(managed.provider, raw);
    if (!obs || obs.error) {
      const message = redact(obs?.error?.message ?? 'not observed');
      errors.push({ collection: managed.ref.address, message });
      // The plan accounts for everything it looked at: an unobserved collection is listed as failed.
      failed.push({
        ...collectionHead(managed),
        status: 'failed',
        fingerprint: '',
        counts: NOTHING_COUNTED,
        decisions: [],
        missing: [],
        error: message,
      });
      continue;
    }
    decided.push(decideCollection(managed, obs, options.now, options.recentlyDeleted));
  }

  // An instance or number this plan deletes takes its collections with it: those are not planned.
  const removedOwners = new Set<string>();
  for (const d of decided) {
    if (d.managed.ref.kind !== 'instances' && d.managed.ref.kind !== 'numbers') continue;
    for (const r of d.removals) if (selected(r.item.address)) removedOwners.add(r.item.address);
  }

  const collections: PlannedCollection[] = [...failed];
  const actions: Action[] = [];
  for (const d of decided) {
    const planned = planCollection(d, removedOwners, selected, judgedAt, options);
    collections.push(planned.collection);
    // Loops, not push(...xs): one collection may hold hundreds of thousands of removals.
    for (const a of planned.actions) actions.push(a);
    for (const w of planned.warnings) warnings.push(w);
    for (const r of planned.refusals) refusals.push(r);
  }

  actions.sort(compareActions);
  for (const a of actions) for (const message of a.warnings) warnings.push({ address: a.address, message });
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: { name: 'chatstate', version: options.toolVersion },
    createdAt: options.now.toISOString(),
    expiresAt: judgedAt.toISOString(),
    configFile: desired.file,
    configDigest: desired.digest,
    targets: [...options.targets],
    endpoints: accountEndpoints(desired),
    ...(options.excludes?.length ? { excludes: [...options.excludes] } : {}),
    collections,
    actions,
    warnings,
    refusals,
    errors,
  };
}
