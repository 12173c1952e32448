import type { ValidateFunction } from 'ajv';
import { errorFor, type HttpResponse } from '../../http/client.js';
import { AuthError, ProviderError } from '../../http/errors.js';
import { accountAddress, childAddress } from '../../shared/address.js';
import { Secret } from '../../shared/secret.js';
import { mapLimit } from '../concurrency.js';
import { expectShape } from '../response.js';
import type { ObserveHooks } from '../types.js';
import type { CollectionRef, GroupAdmin, ObservedCollection, ObservedItem } from '../../model/observed.js';
import {
  chatsResponse,
  contactsResponse,
  groupDataResponse,
  instancesResponse,
  partnerErrorBody,
  settingsResponse,
  stateResponse,
  waSettingsResponse,
  type PartnerInstance,
} from './schemas.js';
import type { GreenWire } from './wire.js';

const ok = (ref: CollectionRef, items: ObservedItem[], ownIds: string[] = [], notes: string[] = [], unconfirmed?: string): ObservedCollection => ({
  ref,
  items,
  ownIds,
  notes,
  ...(unconfirmed ? { unconfirmed } : {}),
});
const failed = (ref: CollectionRef, error: Error): ObservedCollection => ({ ref, items: [], ownIds: [], notes: [], error });

/** Throws the typed error for a non-2xx answer; returns the response otherwise. */
function success(res: HttpResponse, wire: GreenWire, instance?: string): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  throw errorFor(res, instance ? wire.credentialName(instance) : (wire.account.partner?.token.source ?? 'the partner token'));
}

/** The partner API answers errors as HTTP 200 + `{code, description}`: turn those into typed errors. */
export function partnerFailure(res: HttpResponse, wire: GreenWire): Error | undefined {
  if (Array.isArray(res.json) || !partnerErrorBody(res.json)) return undefined;
  const body = res.json as { code: number; description?: string };
  const detail = `code ${body.code}: ${body.description ?? ''}`;
  if (body.code === 401 || body.code === 403) return new AuthError(res.origin, res.status, detail, wire.account.partner?.token.source ?? 'the partner token');
  return new ProviderError(res.origin, res.status, detail);
}

async function partnerListing(wire: GreenWire): Promise<PartnerInstance[]> {
  const res = success(await wire.send(wire.partnerRequest('getInstances', 'GET')), wire);
  const error = partnerFailure(res, wire);
  if (error) throw error;
  return expectShape(res, instancesResponse);
}

async function instanceState(wire: GreenWire, instance: string): Promise<string | null | undefined> {
  try {
    const res = success(await wire.send(wire.instanceRequest(instance, 'getStateInstance', 'GET')), wire, instance);
    return expectShape(res, stateResponse)?.stateInstance ?? null;
  } catch {
    return undefined; // unknown: the planner logs out first, which is harmless when already logged out
  }
}

async function observeInstances(wire: GreenWire, ref: CollectionRef, listing: PartnerInstance[], hooks: ObserveHooks, concurrency: number): Promise<ObservedCollection> {
  const parent = accountAddress('green-api', wire.account.name);
  const live = listing.filter((i) => !i.deleted && (i.typeInstance ?? 'whatsapp') === 'whatsapp');
  const items: ObservedItem[] = live.map((i) => ({
    id: String(i.idInstance),
    address: childAddress(parent, 'instance', String(i.idInstance)),
    name: i.name ?? '',
    facts: { kind: 'instance', expired: Boolean(i.isExpired), ...(i.tariff !== undefined ? { tariff: i.tariff } : {}) },
  }));
  const candidates = hooks.mayRemove(ref, items);
  const withState = await mapLimit(items, concurrency, async (item) => {
    if (!candidates.has(item.id) || item.facts.kind !== 'instance') return item;
    const state = await instanceState(wire, item.id);
    return state === undefined ? item : { ...item, facts: { ...item.facts, state } };
  });
  return ok(ref, withState);
}

/**
 * The own identities: `getSettings.wid` (the own `@c.us`) and `getWaSettings.chatId` (the own `@lid`,
 * empty while not authorized). Both are required: without them the own number could be planned for
 * removal, so a failure of either fails the instance's collections (never a plan without them).
 */
async function ownIds(wire: GreenWire, instance: string): Promise<string[]> {
  const [settings, wa] = await Promise.all([
    wire.send(wire.instanceRequest(instance, 'getSettings', 'GET')).then((r) => expectShape(success(r, wire, instance), settingsResponse)),
    wire.send(wire.instanceRequest(instance, 'getWaSettings', 'GET')).then((r) => expectShape(success(r, wire, instance), waSettingsResponse)),
  ]);
  return [settings.wid, wa.chatId ?? ''].filter((id) => id !== '');
}

/** Tries in all for a list that answers `[]` (GetContacts: "If an empty data array is received - repeat the method call"). */
export const EMPTY_LIST_TRIES = 3;

/**
 * Reads `getContacts` or `getChats`, asking again while the answer is `[]`, as GREEN-API documents.
 * A list still empty after every try is returned with `unconfirmed` set: a plan shows it with a
 * warning (an empty list removes nothing), and export writes no keep list from it.
 */
async function readList<T>(wire: GreenWire, instance: string, method: 'getContacts' | 'getChats', shape: ValidateFunction<T[]>): Promise<{ list: T[]; unconfirmed?: string }> {
  for (let attempt = 1; ; attempt++) {
    const list = expectShape(success(await wire.send(wire.instanceRequest(instance, method, 'GET')), wire, instance), shape);
    if (list.length > 0) return { list };
    if (attempt >= EMPTY_LIST_TRIES) return { list, unconfirmed: `${method} answered an empty list ${EMPTY_LIST_TRIES} times in a row` };
  }
}

async function observeContacts(wire: GreenWire, ref: CollectionRef, instance: string, ownIdsOf: Promise<string[]>): Promise<ObservedCollection> {
  const [{ list, unconfirmed }, own] = await Promise.all([readList(wire, instance, 'getContacts', contactsResponse), ownIdsOf]);
  const notes = unconfirmed ? [unconfirmed] : [];
  const parent = ref.address.slice(0, ref.address.lastIndexOf('/'));
  const items = list
    .filter((c) => c.type === 'user')
    .map((c): ObservedItem => ({
      id: c.id,
      address: childAddress(parent, 'contact', c.id),
      name: c.name || c.contactName || '',
      facts: { kind: 'contact', ...(c.contactName ? { contactName: c.contactName } : {}) },
    }));
  return ok(ref, items, own, notes, unconfirmed);
}

async function groupAdmin(wire: GreenWire, instance: string, groupId: string, own: string[]): Promise<GroupAdmin | 'gone'> {
  const res = success(await wire.send(wire.instanceRequest(instance, 'getGroupData', 'POST', { groupId })), wire, instance);
  // GREEN-API answers an unknown group with 200 and the text `Error: item-not-found`.
  if (res.json === undefined && /item-not-found/i.test(res.text)) return 'gone';
  const data = expectShape(res, groupDataResponse);
  const me = data.participants.find((p) => own.includes(p.id));
  if (!me) return 'gone'; // no longer a participant: nothing to leave
  const isAdmin = Boolean(me.isAdmin || me.isSuperAdmin);
  const otherAdmins = data.participants.filter((p) => p !== me && (p.isAdmin || p.isSuperAdmin)).length;
  return { isAdmin, lastAdmin: isAdmin && otherAdmins === 0 };
}

async function observeGroups(wire: GreenWire, ref: CollectionRef, instance: string, ownIdsOf: Promise<string[]>, hooks: ObserveHooks): Promise<ObservedCollection> {
  const [{ list: chats, unconfirmed }, own] = await Promise.all([readList(wire, instance, 'getChats', chatsResponse), ownIdsOf]);
  const parent = ref.address.slice(0, ref.address.lastIndexOf('/'));
  const groups = chats
    .filter((c) => c.type === 'group' || (c.type === undefined && c.id.endsWith('@g.us')))
    .map((c): ObservedItem => ({ id: c.id, address: childAddress(parent, 'group', c.id), name: c.name ?? '', facts: { kind: 'group' } }));
  const candidates = hooks.mayRemove(ref, groups);
  // getGroupData is limited to 1 request/second: ask only about the groups a plan may leave.
  const enriched = await Promise.all(
    groups.map(async (g) => {
      if (!candidates.has(g.id)) return g;
      const admin = await groupAdmin(wire, instance, g.id, own);
      return admin === 'gone' ? undefined : { ...g, facts: { kind: 'group' as const, admin } };
    }),
  );
  return ok(ref, enriched.filter((g): g is ObservedItem => g !== undefined), own, unconfirmed ? [unconfirmed] : [], unconfirmed);
}

async function observeInstanceCollections(wire: GreenWire, refs: CollectionRef[], instance: string, hooks: ObserveHooks, listingError?: Error): Promise<ObservedCollection[]> {
  if (!wire.token(instance)) {
    const why = listingError ?? new Error(`${wire.who.account}: no token for instance ${instance}: give instances.${instance}.token, or a partner whose listing includes it`);
    return refs.map((r) => failed(r, why));
  }
  // The own identities and the lists are asked for together (one round trip, not two in a row);
  // a collection is planned only with both, and fails with the own identities' error if they fail.
  const own = ownIds(wire, instance);
  const observed = await Promise.all(
    refs.map((r) => (r.kind === 'contacts' ? observeContacts(wire, r, instance, own) : observeGroups(wire, r, instance, own, hooks)).catch((err: unknown) => err as Error)),
  );
  const ownError = await own.then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  return observed.map((o, i) => (ownError ? failed(refs[i]!, ownError) : o instanceof Error ? failed(refs[i]!, o) : o));
}

/** Observes the managed GREEN-API collections of one account. */
export async function observeGreenApi(wire: GreenWire, refs: readonly CollectionRef[], hooks: ObserveHooks, concurrency: number): Promise<ObservedCollection[]> {
  const instanceRef = refs.find((r) => r.kind === 'instances');
  const scoped = refs.filter((r) => r.kind !== 'instances');
  const scopes = [...new Set(scoped.map((r) => r.scope ?? ''))];
  const needsListing = instanceRef !== undefined || scopes.some((s) => !wire.token(s));
  const out: ObservedCollection[] = [];
  let listingError: Error | undefined;
  if (needsListing && wire.account.partner) {
    try {
      const listing = await partnerListing(wire);
      for (const i of listing) if (!i.deleted) wire.learnToken(String(i.idInstance), new Secret(i.apiTokenInstance, `the partner listing of ${wire.who.account}`));
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
      listingError,
    ),
  );
  return [...out, ...perInstance.flat()];
}
