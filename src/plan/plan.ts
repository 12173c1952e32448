import { createHash } from 'node:crypto';
import type { Desired, Entry, GroupPolicy } from '../config/model.js';
import type { Action } from '../model/action.js';
import { DecisionColumns, decisionCode, itemSource, NO_DECISIONS } from '../model/decision-table.js';
import type { ObservedCollection } from '../model/observed.js';
import {
  type CollectionCounts,
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlannedCollection,
  type PlanProblem,
  type PlanWarning,
  type Refusal,
} from '../model/plan.js';
import { redact } from '../shared/redact.js';
import { actionsFor, compareActions } from './actions.js';
import { CollectionDecider, unmatchedEntries } from './decide.js';
import { DecisionSlots } from './decision-slots.js';
import { accountEndpoints } from './endpoints.js';
import { lazyField } from './lazy.js';
import { allManagedCollections, type ManagedCollection } from './managed.js';
import { checkObservedSyntax, withoutDuplicates } from './observed-ids.js';
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
 * observed. Nothing in chatstate compares them, so a plan makes each only when it is read (JSON
 * output); one hash update per collection.
 */
export function fingerprint(ids: readonly string[]): string {
  const sorted = [...ids].sort();
  return `sha256:${createHash('sha256')
    .update(sorted.length > 0 ? `${sorted.join('\n')}\n` : '')
    .digest('hex')}`;
}

/** The observed items each planned collection's fingerprint is made from, and the fingerprint once made. */
const fingerprintSources = new WeakMap<object, { readonly items: readonly { readonly id: string }[]; made?: string }>();

/**
 * A planned collection's `fingerprint`, made when first read. One getter shared by every collection,
 * defined in the key's place: a getter written in each collection's literal is a new function per
 * collection, and gave each collection object a hidden class of its own (about 550 bytes each).
 */
const FINGERPRINT_FIELD: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: object): string {
    const source = fingerprintSources.get(this);
    if (source === undefined) return '';
    source.made ??= fingerprint(source.items.map((i) => i.id));
    return source.made;
  },
};

const KEEP = decisionCode('keep');
const REMOVE = decisionCode('remove');
const UNMANAGED = decisionCode('unmanaged');
const NOT_TARGETED = decisionCode('not-targeted');

/** No "matches nothing observed" warning. */
const NONE_UNMATCHED: readonly string[] = Object.freeze([]);

/** One collection decided: a decision code and a rule index per observed item. */
interface Decided {
  readonly managed: ManagedCollection;
  readonly observed: ObservedCollection;
  readonly decider: CollectionDecider;
  /** Per item its rule and decision code. */
  readonly slots: DecisionSlots;
  /** How many items are decided `remove` (their positions are where `slots` says so). */
  readonly removed: number;
  /** How many items have each decision code (kept equal to `slots` when a code changes). */
  readonly tally: number[];
  /** Items listed only by LID that could not be resolved. */
  readonly unresolved: number;
  /** An id without the provider's syntax, or a name holding a secret, was seen. */
  readonly suspect: boolean;
}

/**
 * The slot columns of every collection's decisions (decision-slots.ts), taken in turn from one
 * buffer: a plan of 1,000 collections makes one typed array, not one per collection. A collection
 * decided again, or one larger than what is left, gets an array of its own. The keep marks a decider
 * needs while deciding come from one buffer reused for every collection: memory written for the first
 * time costs a page fault per 4 KiB (about 16 µs each on the 2-core machines the benchmarks run on).
 */
class ColumnSlab {
  readonly #bytes: Uint8Array;
  #bytesAt = 0;
  #marks = new Uint8Array(0);

  constructor(bytes: number) {
    this.#bytes = new Uint8Array(bytes);
  }

  /** `n` zeroed bytes of the marks buffer, valid until the next call (one function for every decider). */
  readonly marksOf = (n: number): Uint8Array => {
    if (n > this.#marks.length) this.#marks = new Uint8Array(Math.max(n, 2 * this.#marks.length));
    else this.#marks.fill(0, 0, n);
    return this.#marks;
  };

  u8(n: number): Uint8Array {
    const at = this.#bytesAt;
    if (at + n > this.#bytes.length) return new Uint8Array(n);
    this.#bytesAt = at + n;
    return this.#bytes.subarray(at, at + n);
  }
}

function decideCollection(
  managed: ManagedCollection,
  observed: ObservedCollection,
  now: Date,
  recentlyDeleted: ReadonlyMap<string, string> | undefined,
  slab: ColumnSlab,
): Decided {
  const items = observed.items;
  const decider = new CollectionDecider(managed, observed.ownIds, now, slab.marksOf);
  const rules = decider.rules;
  const slots = new DecisionSlots(slab.u8(items.length), KEEP, items, decider);
  const { tally, unresolved, suspect } = decider.decideAll(items, slots);
  const lag = recentlyDeleted && recentlyDeleted.size > 0 ? propagationLagMs(managed.provider, managed.ref.kind) : 0;
  // Within the provider's propagation lag, an item chatstate deleted is shown as deleted, not removed again.
  if (lag > 0)
    for (let i = 0; i < items.length; i++) {
      if (slots.code(i) !== REMOVE) continue;
      const deletedAt = recentlyDeleted?.get(items[i]!.address);
      const since = deletedAt === undefined ? NaN : now.getTime() - Date.parse(deletedAt);
      if (since >= 0 && since < lag) {
        slots.set(
          i,
          rules.add(
            `${AWAITING} (deleted ${deletedAt}; the provider may list it up to ${lag / 60_000} minutes)`,
            UNMANAGED,
          ),
        );
        tally[REMOVE]!--;
        tally[UNMANAGED]!++;
      }
    }
  decider.doneDeciding();
  return { managed, observed, decider, slots, removed: tally[REMOVE]!, tally, unresolved, suspect };
}

/** The remove entry that removes item `i`, when an entry does (not prune, not retention). */
function removeEntry(d: Decided, i: number): Entry | undefined {
  const r = d.slots.ruleIndex(i);
  return r >= d.decider.rules.removeAt && r < d.decider.rules.fixedAt ? d.decider.rules.entry(r) : undefined;
}

function lastAdminRefusal(d: Decided, i: number): Refusal | undefined {
  const item = d.observed.items[i]!;
  const facts = item.facts;
  if (facts.kind !== 'group' || !facts.admin?.lastAdmin) return undefined;
  if ((d.managed.policy as GroupPolicy).allowLastAdminLeave || removeEntry(d, i)?.allowLastAdminLeave) return undefined;
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
function emptiesRefusal(d: Decided, removed: number, protectedCount: number, allow: boolean): Refusal | undefined {
  const { managed } = d;
  const address = managed.ref.address;
  const observed = d.observed.items.length;
  if (allow || managed.policy.allowEmpty || removed === 0 || removed + protectedCount < observed) return undefined;
  if (
    d.slots.positions(REMOVE).every((i) => {
      const entry = removeEntry(d, i);
      return entry?.exact === true && entry.field === 'id';
    })
  )
    return undefined;
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

/**
 * A targeted plan: removals --target leaves out are decided `not-targeted` (rule `not targeted
 * (…)`), never acted on. Returns how many removals stay.
 */
function narrowToTargets(d: Decided, selected: (address: string) => boolean): number {
  let kept = 0;
  const rules = d.decider.rules;
  for (const i of d.slots.positions(REMOVE)) {
    if (selected(d.observed.items[i]!.address)) kept++;
    else {
      d.tally[REMOVE]!--;
      d.tally[NOT_TARGETED]!++;
      d.slots.set(i, rules.add(`not targeted (${rules.text(d.slots.ruleIndex(i))})`, NOT_TARGETED));
    }
  }
  return kept;
}

function countDecisions(d: Decided, missing: number): CollectionCounts {
  const t = d.tally;
  const counts = { observed: d.slots.length, kept: t[0]!, removed: t[1]!, protected: t[2]!, unmanaged: t[3]!, missing };
  const notTargeted = t[4]!;
  return notTargeted > 0 ? { ...counts, notTargeted } : counts;
}

const NOTHING_COUNTED: CollectionCounts = { observed: 0, kept: 0, removed: 0, protected: 0, unmanaged: 0, missing: 0 };

const collectionHead = (managed: ManagedCollection) => ({
  address: managed.ref.address,
  provider: managed.provider,
  account: managed.account,
  kind: managed.ref.kind,
});

/** What a planned collection's actions are made from, when they are read: its items decided `remove`. */
interface Acting {
  readonly d: Decided;
}

/** One decided collection → its plan entry, what its actions are made from, its warnings and refusals. */
function planCollection(
  d: Decided,
  removedOwners: ReadonlySet<string>,
  selected: (address: string) => boolean,
  options: PlanOptions,
) {
  const { managed, observed: obs } = d;
  const address = managed.ref.address;
  const missing = d.decider.missing();
  // The size first: an owner's address is hashed the first time it is looked up (1,000 of them).
  const superseded = managed.owner !== undefined && removedOwners.size > 0 && removedOwners.has(managed.owner);
  const narrowed = options.targets.length > 0 || (options.excludes?.length ?? 0) > 0;
  const removed = narrowed ? narrowToTargets(d, selected) : d.removed;
  const untouched = narrowed && removed === 0 && !selected(address);
  const warnings: PlanWarning[] = [];
  const unmatched = d.decider.mayLeavePatternsUnmatched()
    ? unmatchedEntries(managed, obs.items, d.decider.keepPatternsMatched)
    : NONE_UNMATCHED;
  const notes = obs.notes;
  for (let k = 0; k < missing.length; k++)
    warnings.push({ address, message: `${missing[k]} is kept by the file but does not exist` });
  for (let k = 0; k < unmatched.length; k++) warnings.push({ address, message: unmatched[k]! });
  for (let k = 0; k < notes.length; k++) warnings.push({ address, message: notes[k]! });
  const counts = countDecisions(d, missing.length);
  if (d.unresolved > 0) {
    const n = d.unresolved;
    warnings.push({
      address,
      message: `${n} contact${n === 1 ? '' : 's'} listed only by LID could not be resolved to a phone number (getContactInfo gave none): protected as "unresolved LID", not removed`,
    });
  }
  const decisions = new DecisionColumns(itemSource(obs.items), d.slots, d.decider.rules);
  const note = superseded
    ? `not planned: ${managed.owner} is deleted by this plan`
    : untouched
      ? 'not targeted'
      : undefined;
  // The head's fields written out (collectionHead), not spread; the fingerprint is defined in its
  // place, then the fields after it, so that the key order is that of a plain object.
  const head = {
    address: managed.ref.address,
    provider: managed.provider,
    account: managed.account,
    kind: managed.ref.kind,
    status: superseded ? ('superseded' as const) : untouched ? ('not-targeted' as const) : ('planned' as const),
  };
  Object.defineProperty(head, 'fingerprint', FINGERPRINT_FIELD);
  fingerprintSources.set(head, { items: obs.items });
  const collection = head as { -readonly [K in keyof PlannedCollection]: PlannedCollection[K] };
  collection.counts = counts;
  collection.decisions = decisions;
  collection.missing = missing;
  if (note !== undefined) collection.note = note;
  const refusals: Refusal[] = [];
  let acting: Acting | undefined;
  if (!superseded) {
    const brake =
      massDeleteRefusal(address, removed, obs.items.length, managed, options.allowMassDelete) ??
      emptiesRefusal(d, removed, counts.protected, options.allowMassDelete);
    if (brake) refusals.push(brake);
    if (managed.ref.kind === 'groups')
      for (const i of d.slots.positions(REMOVE)) {
        const refusal = lastAdminRefusal(d, i);
        if (refusal) refusals.push(refusal);
      }
    if (removed > 0) acting = { d };
  }
  return { collection, acting, warnings, refusals };
}

/** The actions of the planned collections, in execution order, and the warnings they carry. */
function makeActions(acting: readonly Acting[], judgedAt: Date): { actions: Action[]; warnings: PlanWarning[] } {
  const actions: Action[] = [];
  for (const { d } of acting) {
    const rules = d.decider.rules;
    for (const i of d.slots.positions(REMOVE)) {
      const removal = { item: d.observed.items[i]!, rule: rules.text(d.slots.ruleIndex(i)) };
      for (const a of actionsFor(d.managed, removal, judgedAt)) actions.push(a);
    }
  }
  actions.sort(compareActions);
  const warnings: PlanWarning[] = [];
  for (const a of actions) for (const message of a.warnings) warnings.push({ address: a.address, message });
  return { actions, warnings };
}

/**
 * The planner: a pure function of the desired state, the observed state and the clock. Every
 * observed resource of every managed collection is decided (a code and a rule index per item);
 * removals become actions in dependency order, made when the plan's `actions` are first read;
 * hazards become warnings or refusals.
 */
export function planActions(desired: Desired, observed: readonly ObservedCollection[], options: PlanOptions): Plan {
  const byAddress = new Map(observed.map((o) => [o.ref.address, o]));
  const judgedAt = new Date(options.now.getTime() + options.validForMs);
  const selected = selectionMatcher(options.targets, options.excludes);
  const errors: PlanProblem[] = [];
  const general: PlanWarning[] = [];
  const refusals: Refusal[] = [];
  const failed: PlannedCollection[] = [];
  const decided: Decided[] = [];

  // This function runs once per plan, so its loops over the collections run in unoptimised code:
  // indexed loops there and in planCollection, not iterators (6–8 ms at 1,000 collections).
  const all = allManagedCollections(desired);
  const raws = all.map((managed) => byAddress.get(managed.ref.address));
  let items = 0;
  for (let c = 0; c < all.length; c++) {
    const raw = raws[c];
    if (raw && !raw.error) items += raw.items.length;
  }
  const slab = new ColumnSlab(items);
  for (let c = 0; c < all.length; c++) {
    const managed = all[c]!;
    const raw = raws[c];
    let d = raw && !raw.error ? decideCollection(managed, raw, options.now, options.recentlyDeleted, slab) : undefined;
    let error = raw ? raw.error : new Error('not observed');
    // Checked while deciding: an invalid id, a name holding a secret or an id listed twice sends the
    // collection through the full input check (it fails, or is decided again without them).
    if (raw && d && (d.suspect || d.decider.repeated > 0)) {
      const obs = checkObservedSyntax(managed.provider, raw);
      error = obs.error;
      d = obs.error
        ? undefined
        : decideCollection(managed, withoutDuplicates(obs), options.now, options.recentlyDeleted, slab);
    }
    if (!d) {
      const message = redact(error?.message ?? 'not observed');
      errors.push({ collection: managed.ref.address, message });
      // The plan accounts for everything it looked at: an unobserved collection is listed as failed.
      failed.push({
        ...collectionHead(managed),
        status: 'failed',
        fingerprint: '',
        counts: NOTHING_COUNTED,
        decisions: NO_DECISIONS,
        missing: [],
        error: message,
      });
      continue;
    }
    decided.push(d);
  }

  // An instance or number this plan deletes takes its collections with it: those are not planned.
  const removedOwners = new Set<string>();
  for (let c = 0; c < decided.length; c++) {
    const d = decided[c]!;
    if (d.managed.ref.kind !== 'instances' && d.managed.ref.kind !== 'numbers') continue;
    for (const i of d.slots.positions(REMOVE)) {
      const address = d.observed.items[i]!.address;
      if (selected(address)) removedOwners.add(address);
    }
  }

  const collections: PlannedCollection[] = [...failed];
  const acting: Acting[] = [];
  for (let c = 0; c < decided.length; c++) {
    const planned = planCollection(decided[c]!, removedOwners, selected, options);
    collections.push(planned.collection);
    if (planned.acting) acting.push(planned.acting);
    for (let k = 0; k < planned.warnings.length; k++) general.push(planned.warnings[k]!);
    for (let k = 0; k < planned.refusals.length; k++) refusals.push(planned.refusals[k]!);
  }

  let made: { actions: Action[]; warnings: PlanWarning[] } | undefined;
  const make = () => {
    if (!made) {
      const m = makeActions(acting, judgedAt);
      made = { actions: m.actions, warnings: [...general, ...m.warnings] };
    }
    return made;
  };
  const plan: Plan = {
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
    actions: [],
    warnings: [],
    refusals,
    errors,
  };
  lazyField(plan, 'actions', () => make().actions);
  return lazyField(plan, 'warnings', () => make().warnings);
}
