import type { ValidateFunction } from 'ajv';
import { errorFor, type HttpResponse } from '../../http/client.js';
import { AuthError, ProviderError } from '../../http/errors.js';
import type { CollectionRef, GroupAdmin, ObservedCollection, ObservedItem } from '../../model/observed.js';
import { accountAddress, childAddress } from '../../shared/address.js';
import { ownIdKey } from '../../shared/ids.js';
import { Secret } from '../../shared/secret.js';
import { mapLimit } from '../concurrency.js';
import { expectShape } from '../response.js';
import type { ObserveHooks } from '../types.js';
import { contactFacts } from './facts.js';
import {
  chatsResponse,
  contactInfoResponse,
  contactsResponse,
  groupDataResponse,
  instancesResponse,
  type PartnerInstance,
  partnerErrorBody,
  settingsResponse,
  stateResponse,
  waSettingsResponse,
} from './schemas.js';
import type { GreenWire } from './wire.js';

const ok = (
  ref: CollectionRef,
  items: ObservedItem[],
  ownIds: string[] = [],
  notes: string[] = [],
  unconfirmed?: string,
): ObservedCollection => ({
  ref,
  items,
  ownIds,
  notes,
  ...(unconfirmed ? { unconfirmed } : {}),
});
const failed = (ref: CollectionRef, error: Error): ObservedCollection => ({
  ref,
  items: [],
  ownIds: [],
  notes: [],
  error,
});

/** Throws the typed error for a non-2xx answer; returns the response otherwise. */
function success(res: HttpResponse, wire: GreenWire, instance?: string): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  throw errorFor(
    res,
    instance ? wire.credentialName(instance) : (wire.account.partner?.token.source ?? 'the partner token'),
  );
}

/** The partner API answers errors as HTTP 200 + `{code, description}`: turn those into typed errors. */
export function partnerFailure(res: HttpResponse, wire: GreenWire): Error | undefined {
  if (Array.isArray(res.json) || !partnerErrorBody(res.json)) return undefined;
  const body = res.json as { code: number; description?: string };
  const detail = `code ${body.code}: ${body.description ?? ''}`;
  if (body.code === 401 || body.code === 403)
    return new AuthError(res.origin, res.status, detail, wire.account.partner?.token.source ?? 'the partner token');
  return new ProviderError(res.origin, res.status, detail);
}

async function partnerListing(wire: GreenWire): Promise<PartnerInstance[]> {
  const res = success(await wire.send(wire.partnerRequest('getInstances', 'GET')), wire);
  const error = partnerFailure(res, wire);
  if (error) throw error;
  return expectShape(res, instancesResponse);
}

/** `getStateInstance`: a documented state, `null` while provisioning, `expired`, or undefined when it could not be read. */
async function instanceState(wire: GreenWire, instance: string): Promise<{ state?: string | null; expired?: true }> {
  try {
    const res = await wire.send(wire.instanceRequest(instance, 'getStateInstance', 'GET'));
    // Common errors: 400 "Instance account is expired. Renew your instance from personal area".
    if (res.status === 400 && /instance account is expired/i.test(res.text)) return { expired: true };
    return { state: expectShape(success(res, wire, instance), stateResponse)?.stateInstance ?? null };
  } catch {
    return {}; // unknown: the planner logs out first, which is harmless when already logged out
  }
}

async function observeInstances(
  wire: GreenWire,
  ref: CollectionRef,
  listing: PartnerInstance[],
  hooks: ObserveHooks,
  concurrency: number,
): Promise<ObservedCollection> {
  const parent = accountAddress('green-api', wire.account.name);
  const live = listing.filter((i) => !i.deleted && (i.typeInstance ?? 'whatsapp') === 'whatsapp');
  const items: ObservedItem[] = live.map((i) => ({
    id: String(i.idInstance),
    address: childAddress(parent, 'instance', String(i.idInstance)),
    name: i.name ?? '',
    facts: { kind: 'instance', expired: Boolean(i.isExpired) },
  }));
  const candidates = hooks.mayRemove(ref, items);
  const notes: string[] = [];
  const withState = await mapLimit(items, concurrency, async (item) => {
    if (!candidates.has(item.id) || item.facts.kind !== 'instance') return item;
    if (!wire.hasHost(item.id)) {
      notes.push(
        `instance ${item.id}: its API host is unknown (the partner listing gives none), so it cannot be logged out before deletion; set green-api.${wire.account.name}.instances.${item.id}.apiUrl to the host the console shows`,
      );
    }
    const read = await instanceState(wire, item.id);
    if (read.expired) return { ...item, facts: { ...item.facts, expired: true } };
    return read.state === undefined ? item : { ...item, facts: { ...item.facts, state: read.state } };
  });
  return ok(ref, withState, [], notes.sort());
}

/**
 * The own identities: `getSettings.wid` (the own `@c.us`) and `getWaSettings.chatId` (the own `@lid`,
 * empty while not authorized). Both are required: without them the own number could be planned for
 * removal, so a failure of either fails the instance's collections (never a plan without them).
 */
async function readOwnIds(wire: GreenWire, instance: string): Promise<string[]> {
  const [settings, wa] = await Promise.all([
    wire
      .send(wire.instanceRequest(instance, 'getSettings', 'GET'))
      .then((r) => expectShape(success(r, wire, instance), settingsResponse)),
    wire
      .send(wire.instanceRequest(instance, 'getWaSettings', 'GET'))
      .then((r) => expectShape(success(r, wire, instance), waSettingsResponse)),
  ]);
  return [settings.wid, wa.chatId ?? ''].filter((id) => id !== '');
}

/** The own identities of an instance, read once per session (a failure is not remembered). */
export function ownIdentities(wire: GreenWire, instance: string): Promise<string[]> {
  let ids = wire.ownIds.get(instance);
  if (!ids) {
    ids = readOwnIds(wire, instance);
    wire.ownIds.set(instance, ids);
    ids.catch(() => wire.ownIds.delete(instance));
  }
  return ids;
}

/** Tries in all for a list that answers `[]` (GetContacts: "If an empty data array is received - repeat the method call"). */
const EMPTY_LIST_TRIES = 3;

/**
 * Reads `getContacts` or `getChats`, asking again while the answer is `[]`, as GREEN-API documents.
 * A list still empty after every try is returned with `unconfirmed` set: a plan shows it with a
 * warning (an empty list removes nothing), and export writes no keep list from it.
 */
async function readList<T>(
  wire: GreenWire,
  instance: string,
  method: 'getContacts' | 'getChats',
  shape: ValidateFunction<T[]>,
): Promise<{ list: T[]; unconfirmed?: string }> {
  for (let attempt = 1; ; attempt++) {
    const list = expectShape(
      success(await wire.send(wire.instanceRequest(instance, method, 'GET')), wire, instance),
      shape,
    );
    if (list.length > 0) return { list };
    if (attempt >= EMPTY_LIST_TRIES)
      return { list, unconfirmed: `${method} answered an empty list ${EMPTY_LIST_TRIES} times in a row` };
  }
}

/** `79876543210` (a number or digits) → `79876543210@c.us`; undefined for anything else. */
function phoneChatId(value: unknown): string | undefined {
  const digits =
    typeof value === 'number' && Number.isSafeInteger(value)
      ? String(value)
      : typeof value === 'string'
        ? value.replace(/@c\.us$/, '')
        : '';
  return /^[0-9]{5,20}$/.test(digits) ? `${digits}@c.us` : undefined;
}

/**
 * The phone chat id of a contact listed by its LID, from GetContactInfo's `phoneNumber`; undefined
 * when the service gives none or the call fails (the planner then protects the contact).
 */
async function phoneOf(wire: GreenWire, instance: string, lid: string): Promise<string | undefined> {
  try {
    const res = await wire.send(wire.instanceRequest(instance, 'getContactInfo', 'POST', { chatId: lid }));
    if (res.status !== 200) return undefined;
    return phoneChatId(expectShape(res, contactInfoResponse).phoneNumber);
  } catch {
    return undefined;
  }
}

async function observeContacts(
  wire: GreenWire,
  ref: CollectionRef,
  instance: string,
  ownIdsOf: Promise<string[]>,
  hooks: ObserveHooks,
  concurrency: number,
): Promise<ObservedCollection> {
  const [{ list, unconfirmed }, own] = await Promise.all([
    readList(wire, instance, 'getContacts', contactsResponse),
    ownIdsOf,
  ]);
  const notes = unconfirmed ? [unconfirmed] : [];
  const parent = ref.address.slice(0, ref.address.lastIndexOf('/'));
  const items = list
    .filter((c) => c.type === 'user')
    .map((c): ObservedItem => {
      // The v3 GetContacts page lists phoneNumber beside the id: used when the answer carries it.
      const phone = c.id.endsWith('@lid') ? phoneChatId(c.phoneNumber) : undefined;
      return {
        id: c.id,
        address: childAddress(parent, 'contact', c.id),
        name: c.name || c.contactName || '',
        facts: contactFacts(c.contactName, phone),
      };
    });
  // LIDs are resolved only for the contacts a plan might remove (getContactInfo: 1 request/second);
  // the other contacts (nearly all of a large account) are taken as they are, without a request.
  const candidates = hooks.mayRemove(ref, items);
  const lookups = items.filter(
    (item) => item.id.endsWith('@lid') && candidates.has(item.id) && item.facts.kind === 'contact' && !item.facts.phone,
  );
  if (lookups.length === 0) return ok(ref, items, own, notes, unconfirmed);
  const phones = await mapLimit(lookups, concurrency, (item) => phoneOf(wire, instance, item.id));
  const found = new Map<ObservedItem, string | undefined>(lookups.map((item, k) => [item, phones[k]]));
  const resolved = items.map((item) => {
    const phone = found.get(item);
    return phone && item.facts.kind === 'contact' ? { ...item, facts: { ...item.facts, phone } } : item;
  });
  return ok(ref, resolved, own, notes, unconfirmed);
}

/**
 * The own number's place in a group from a `getGroupData` answer: its admin rights, or `gone` when
 * it is not a participant. Decision (the documentation is silent on groups the instance is not in):
 * the 200 text `Error: item-not-found`, or participants without the own number, both mean "gone".
 */
export function membership(res: HttpResponse, own: readonly string[]): GroupAdmin | 'gone' {
  if (res.json === undefined && /item-not-found|forbidden/i.test(res.text)) return 'gone';
  const data = expectShape(res, groupDataResponse);
  const keys = new Set(own.map(ownIdKey));
  const me = data.participants.find((p) => keys.has(ownIdKey(p.id)));
  if (!me) return 'gone';
  const isAdmin = Boolean(me.isAdmin || me.isSuperAdmin);
  const otherAdmins = data.participants.filter((p) => p !== me && (p.isAdmin || p.isSuperAdmin)).length;
  return { isAdmin, lastAdmin: isAdmin && otherAdmins === 0 };
}

async function groupAdmin(
  wire: GreenWire,
  instance: string,
  groupId: string,
  own: string[],
): Promise<GroupAdmin | 'gone'> {
  return membership(
    success(await wire.send(wire.instanceRequest(instance, 'getGroupData', 'POST', { groupId })), wire, instance),
    own,
  );
}

async function observeGroups(
  wire: GreenWire,
  ref: CollectionRef,
  instance: string,
  ownIdsOf: Promise<string[]>,
  hooks: ObserveHooks,
): Promise<ObservedCollection> {
  const [{ list: chats, unconfirmed }, own] = await Promise.all([
    readList(wire, instance, 'getChats', chatsResponse),
    ownIdsOf,
  ]);
  const parent = ref.address.slice(0, ref.address.lastIndexOf('/'));
  const groups = chats
    .filter((c) => c.type === 'group' || (c.type === undefined && c.id.endsWith('@g.us')))
    .map(
      (c): ObservedItem => ({
        id: c.id,
        address: childAddress(parent, 'group', c.id),
        name: c.name ?? '',
        facts: { kind: 'group' },
      }),
    );
  const candidates = hooks.mayRemove(ref, groups);
  // getGroupData is limited to 1 request/second: ask only about the groups a plan may leave.
  const enriched = await Promise.all(
    groups.map(async (g) => {
      if (!candidates.has(g.id)) return g;
      const admin = await groupAdmin(wire, instance, g.id, own);
      return admin === 'gone' ? undefined : { ...g, facts: { kind: 'group' as const, admin } };
    }),
  );
  return ok(
    ref,
    enriched.filter((g): g is ObservedItem => g !== undefined),
    own,
    unconfirmed ? [unconfirmed] : [],
    unconfirmed,
  );
}

async function observeInstanceCollections(
  wire: GreenWire,
  refs: CollectionRef[],
  instance: string,
  hooks: ObserveHooks,
  concurrency: number,
  listingError?: Error,
): Promise<ObservedCollection[]> {
  if (!wire.token(instance)) {
    const why =
      listingError ??
      new Error(
        `${wire.who.account}: no token for instance ${instance}: give instances.${instance}.token, or a partner whose listing includes it`,
      );
    return refs.map((r) => failed(r, why));
  }
  // The own identities and the lists are asked for together (one round trip, not two in a row);
  // a collection is planned only with both, and fails with the own identities' error if they fail.
  const own = ownIdentities(wire, instance);
  const observed = await Promise.all(
    refs.map((r) =>
      (r.kind === 'contacts'
        ? observeContacts(wire, r, instance, own, hooks, concurrency)
        : observeGroups(wire, r, instance, own, hooks)
      ).catch((err: unknown) => err as Error),
    ),
  );
  const ownError = await own.then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  return observed.map((o, i) => (ownError ? failed(refs[i]!, ownError) : o instanceof Error ? failed(refs[i]!, o) : o));
}

/** Observes the managed GREEN-API collections of one account. */
export async function observeGreenApi(
  wire: GreenWire,
  refs: readonly CollectionRef[],
  hooks: ObserveHooks,
  concurrency: number,
): Promise<ObservedCollection[]> {
  const instanceRef = refs.find((r) => r.kind === 'instances');
  const scoped = refs.filter((r) => r.kind !== 'instances');
  const scopes = [...new Set(scoped.map((r) => r.scope ?? ''))];
  const needsListing = instanceRef !== undefined || scopes.some((s) => !wire.token(s));
  const out: ObservedCollection[] = [];
  let listingError: Error | undefined;
  if (needsListing && wire.account.partner) {
    try {
      const listing = await partnerListing(wire);
      for (const i of listing)
        if (!i.deleted)
          wire.learnToken(
            String(i.idInstance),
            new Secret(i.apiTokenInstance, `the partner listing of ${wire.who.account}`),
            i.apiUrl,
          );
      if (instanceRef) out.push(await observeInstances(wire, instanceRef, listing, hooks, concurrency));
    } catch (err) {
      listingError = err as Error;
      if (instanceRef) out.push(failed(instanceRef, listingError));
    }
  }
  const perInstance = await mapLimit(scopes, concurrency, (s) =>
    observeInstanceCollections(
      wire,
      scoped.filter((r) => r.scope === s),
      s,
      hooks,
      concurrency,
      listingError,
    ),
  );
  return [...out, ...perInstance.flat()];
}
