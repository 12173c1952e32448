import type { TwoChatAccountConfig } from '../../config/model.js';
import { errorFor, type HttpClient, type HttpRequestSpec, type HttpResponse } from '../../http/client.js';
import { ResponseShapeError } from '../../http/errors.js';
import type { Action, ActionOutcome } from '../../model/action.js';
import type { CollectionRef, ItemFacts, ObservedCollection, ObservedItem } from '../../model/observed.js';
import { accountAddress, childAddress } from '../../shared/address.js';
import { perMinute, type RateLimit } from '../../shared/token-bucket.js';
import { mapLimit } from '../concurrency.js';
import { guarded, outcomeOf } from '../outcome.js';
import { expectShape, limitFor } from '../response.js';
import type { ObserveHooks, Provider, SessionDeps } from '../types.js';
import { readAllPages } from './pages.js';
import {
  contactsPage,
  groupDetail,
  groupMessagesPage,
  groupsPage,
  infoResponse,
  messagesPage,
  numbersPage,
  type SentBy,
  successBody,
  type TwoChatContact,
  type TwoChatGroup,
  type TwoChatNumber,
} from './schemas.js';
import { type TimeSpan, twoChatTime } from './time.js';

/** `get-numbers` answers 50 a page unless asked otherwise ("results_per_page (default 50)"). */
const NUMBERS_PER_PAGE = 50;
const CONTACTS_PER_PAGE = 100;
/** "We return the last 100 messages by default" ("Get WhatsApp Messages Programmatically"). */
const MESSAGES_PER_PAGE = 100;
/** Group messages come 50 a page. */
const GROUP_MESSAGES_PER_PAGE = 50;
const GROUPS_PER_PAGE = 50;
/** 2Chat's "number busy, try again" statuses, retried like 503. */
const BUSY = [409, 410, 486] as const;
/** The lowest limit 2Chat documents: trial accounts, 10 requests per minute. */
const LOWEST_DOCUMENTED_RPM = 10;

const digits = (s: string | null | undefined): string => (s ?? '').replace(/\D/g, '');

/** 2Chat: one per-minute limit per account across all endpoints, learnt from `GET /open/info`. */
class TwoChatWire {
  readonly who: { provider: string; account: string };
  private readonly base: string;
  private limit: Promise<RateLimit | 'off'> | undefined;
  /** Set when `GET /open/info` failed and the lowest documented limit is used instead. */
  limitNote: string | undefined;
  constructor(
    readonly account: TwoChatAccountConfig,
    private readonly http: HttpClient,
  ) {
    this.who = { provider: '2chat', account: accountAddress('2chat', account.name) };
    this.base = account.apiUrl.replace(/\/+$/, '');
  }

  spec(method: 'GET' | 'DELETE', path: string, operation: string, limit: RateLimit | 'off'): HttpRequestSpec {
    return {
      method,
      url: `${this.base}${path}`,
      headers: { 'x-user-api-key': this.account.apiKey.reveal() },
      operation,
      limitKey: `2chat:${this.account.name}`,
      limit,
      extraTransientStatuses: BUSY,
    };
  }

  /**
   * The account's limit: the config's override, else what `info` publishes (at most 10/min on a
   * trial account), else — when `info` cannot be read — the lowest documented limit, 10/min.
   */
  private accountLimit(): Promise<RateLimit | 'off'> {
    const configured = limitFor(this.account.rateLimits, 'requests', 'off');
    if (configured !== 'off' || this.account.rateLimits['requests'] !== undefined) return Promise.resolve(configured);
    this.limit ??= (async () => {
      const lowest = perMinute(LOWEST_DOCUMENTED_RPM);
      try {
        const res = await this.http.send(this.spec('GET', '/info', 'info', lowest), this.who);
        if (res.status !== 200) throw errorFor(res, this.account.apiKey.source);
        const body = expectShape(res, infoResponse);
        const rpm = body.account?.on_trial
          ? Math.min(body.limits.requests_per_minute, LOWEST_DOCUMENTED_RPM)
          : body.limits.requests_per_minute;
        return perMinute(rpm);
      } catch (err) {
        this.limitNote = `2Chat ${this.who.account}: GET /open/info failed (${(err as Error).message}); requests are paced at ${LOWEST_DOCUMENTED_RPM}/minute, the lowest limit 2Chat documents`;
        return lowest;
      }
    })();
    return this.limit;
  }

  async send(method: 'GET' | 'DELETE', path: string, operation: string): Promise<HttpResponse> {
    return this.http.send(this.spec(method, path, operation, await this.accountLimit()), this.who);
  }

  ok(res: HttpResponse): HttpResponse {
    if (res.status === 200) return res;
    throw errorFor(res, this.account.apiKey.source);
  }
}

async function listNumbers(wire: TwoChatWire): Promise<TwoChatNumber[]> {
  return readAllPages({
    what: 'numbers',
    pageSize: NUMBERS_PER_PAGE,
    duplicates: 'fail',
    idOf: (n) => n.uuid,
    fetch: async (page) => {
      const res = wire.ok(
        await wire.send(
          'GET',
          `/whatsapp/get-numbers?page_number=${page}&results_per_page=${NUMBERS_PER_PAGE}`,
          'get-numbers',
        ),
      );
      const body = expectShape(res, numbersPage);
      return { res, items: body.numbers, ...(body.count !== undefined ? { count: body.count } : {}) };
    },
  });
}

async function observeNumbers(wire: TwoChatWire): Promise<ObservedItem[]> {
  const parent = accountAddress('2chat', wire.account.name);
  return (await listNumbers(wire)).map((n) => ({
    id: n.phone_number,
    address: childAddress(parent, 'number', n.phone_number),
    name: n.friendly_name ?? '',
    facts: { kind: 'number', uuid: n.uuid, phone: n.phone_number, status: n.connection_status ?? '' },
  }));
}

async function observeContacts(wire: TwoChatWire): Promise<ObservedItem[]> {
  const parent = accountAddress('2chat', wire.account.name);
  const contacts = await readAllPages<TwoChatContact>({
    what: 'contacts',
    pageSize: CONTACTS_PER_PAGE,
    duplicates: 'fail',
    idOf: (c) => c.uuid,
    fetch: async (page) => {
      const res = wire.ok(
        await wire.send('GET', `/contacts?page_number=${page}&results_per_page=${CONTACTS_PER_PAGE}`, 'list-contacts'),
      );
      const body = expectShape(res, contactsPage);
      return { res, items: body.contacts, ...(body.count !== undefined ? { count: body.count } : {}) };
    },
  });
  return contacts.map((c) => {
    const phone = c.details?.find((d) => d.type === 'WAPH' || d.type === 'PH')?.value;
    return {
      id: c.uuid,
      address: childAddress(parent, 'contact', c.uuid),
      name: [c.first_name, c.last_name].filter(Boolean).join(' '),
      facts: {
        kind: 'contact',
        ...(phone ? { phone } : {}),
        ...(c.first_name ? { firstName: c.first_name } : {}),
        ...(c.last_name ? { lastName: c.last_name } : {}),
      },
    };
  });
}

/** A message as read from either listing, before it becomes an observed item. */
interface Seen {
  uuid: string;
  createdAt: string;
  sessionKey: string;
  remote: string;
  at: TimeSpan;
  sentBy: SentBy;
  group: boolean;
  /** The 2Chat group uuid, when the message came from a group's own listing. */
  groupUuid?: string;
}

function timeOf(res: HttpResponse, text: string): TimeSpan {
  const at = twoChatTime(text);
  if (!at)
    throw new ResponseShapeError(
      res.origin,
      res.status,
      `created_at ${JSON.stringify(text.slice(0, 40))} is neither ISO 8601 nor YYYY-MM-DD HH:MM:SS`,
    );
  return at;
}

/** Newest first: once a page's oldest message is surely older than the look-back, older pages are out of scope. */
const pastHorizon = (horizon: number) => (page: readonly Seen[]) => {
  const oldest = page.at(-1);
  return oldest !== undefined && oldest.at.latest < horizon;
};

async function directMessages(wire: TwoChatWire, phone: string, horizon: number): Promise<Seen[]> {
  return readAllPages<Seen>({
    what: `messages of ${phone}`,
    pageSize: MESSAGES_PER_PAGE,
    duplicates: 'collapse',
    idOf: (m) => m.uuid,
    done: pastHorizon(horizon),
    fetch: async (page) => {
      const res = wire.ok(
        await wire.send('GET', `/whatsapp/messages/${encodeURIComponent(phone)}?page_number=${page}`, 'list-messages'),
      );
      const body = expectShape(res, messagesPage);
      const items = body.messages.map((m): Seen => {
        const group = m.session_key.endsWith('@g.us') || m.remote_phone_number.endsWith('@g.us');
        return {
          uuid: m.uuid,
          createdAt: m.created_at,
          sessionKey: m.session_key,
          remote: m.remote_phone_number,
          at: timeOf(res, m.created_at),
          sentBy: m.sent_by,
          group,
        };
      });
      return { res, items, ...(body.count !== undefined ? { count: body.count } : {}) };
    },
  });
}

async function groupsOf(wire: TwoChatWire, phone: string): Promise<TwoChatGroup[]> {
  return readAllPages({
    what: `groups of ${phone}`,
    pageSize: GROUPS_PER_PAGE,
    duplicates: 'fail',
    idOf: (g) => g.uuid,
    fetch: async (page) => {
      const res = wire.ok(
        await wire.send(
          'GET',
          `/whatsapp/groups/${encodeURIComponent(phone)}?page_number=${page}&results_per_page=${GROUPS_PER_PAGE}`,
          'list-groups',
        ),
      );
      const body = expectShape(res, groupsPage);
      return { res, items: body.data, ...(body.count !== undefined ? { count: body.count } : {}) };
    },
  });
}

async function groupMessages(wire: TwoChatWire, phone: string, group: TwoChatGroup, horizon: number): Promise<Seen[]> {
  return readAllPages<Seen>({
    what: `messages of group ${group.uuid}`,
    pageSize: GROUP_MESSAGES_PER_PAGE,
    duplicates: 'collapse',
    idOf: (m) => m.uuid,
    done: pastHorizon(horizon),
    fetch: async (page) => {
      const res = wire.ok(
        await wire.send(
          'GET',
          `/whatsapp/groups/messages/${encodeURIComponent(group.uuid)}?page_number=${page}`,
          'list-group-messages',
        ),
      );
      const body = expectShape(res, groupMessagesPage);
      const items = body.messages.map((m): Seen => {
        // Without `sent_by`, a message is ours only when its participant is the own number; else it is inbound.
        const sentBy: SentBy =
          m.sent_by ??
          (digits(m.participant?.phone_number) !== '' && digits(m.participant?.phone_number) === digits(phone)
            ? 'api'
            : 'user');
        return {
          uuid: m.uuid,
          createdAt: m.created_at,
          sessionKey: m.session_key,
          remote: group.wa_group_id,
          at: timeOf(res, m.created_at),
          sentBy,
          group: true,
          groupUuid: group.uuid,
        };
      });
      return { res, items, ...(body.count !== undefined ? { count: body.count } : {}) };
    },
  });
}

/** Whether the own number is an admin of the group (`wa_is_admin` or `wa_is_super_admin`); undefined when the group is gone. */
async function ownAdmin(wire: TwoChatWire, phone: string, groupUuid: string): Promise<boolean | undefined> {
  const res = await wire.send('GET', `/whatsapp/group/${encodeURIComponent(groupUuid)}`, 'group-participants');
  if (res.status === 404) return undefined;
  const body = expectShape(wire.ok(res), groupDetail);
  const own = body.data.participants.find((p) => digits(p.phone_number ?? p.wa_participant_id) === digits(phone));
  return Boolean(own?.wa_is_admin || own?.wa_is_super_admin);
}

function messageItem(parent: string, m: Seen, admin: boolean | undefined): ObservedItem {
  const facts: ItemFacts = {
    kind: 'message',
    uuid: m.uuid,
    sessionKey: m.sessionKey,
    remote: m.remote,
    sentAt: m.at.zoned ? m.createdAt : new Date(m.at.latest).toISOString(),
    ...(m.at.zoned ? {} : { sentAtEarliest: new Date(m.at.earliest).toISOString() }),
    sentBy: m.sentBy,
    group: m.group,
    ...(admin !== undefined ? { admin } : {}),
  };
  return { id: m.uuid, address: childAddress(parent, 'message', m.uuid), name: '', facts };
}

/**
 * The messages of one own number: its direct listing, and every group's own listing (the group
 * endpoints). A message in both is one message; the group listing says which group it is in. Admin
 * rights are read (one request per group) only for groups with an inbound message the plan may remove.
 */
async function observeMessages(wire: TwoChatWire, ref: CollectionRef, hooks: ObserveHooks): Promise<ObservedItem[]> {
  const phone = ref.scope ?? '';
  const parent = childAddress(accountAddress('2chat', wire.account.name), 'number', phone);
  const horizon = ref.lookBackMs !== undefined ? hooks.now.getTime() - ref.lookBackMs : -Infinity;
  const seen = new Map<string, Seen>();
  for (const m of await directMessages(wire, phone, horizon)) seen.set(m.uuid, m);
  const groups = await groupsOf(wire, phone);
  const byGroupId = new Map(groups.map((g) => [g.wa_group_id, g.uuid]));
  for (const group of groups) for (const m of await groupMessages(wire, phone, group, horizon)) seen.set(m.uuid, m);
  for (const m of seen.values()) {
    const uuid = m.group && m.groupUuid === undefined ? byGroupId.get(m.remote) : undefined;
    if (uuid !== undefined) m.groupUuid = uuid;
  }

  const draft = [...seen.values()].map((m) => messageItem(parent, m, undefined));
  const candidates = hooks.mayRemove(ref, draft);
  const needAdmin = new Set(
    [...seen.values()]
      .filter((m) => m.group && m.sentBy === 'user' && m.groupUuid !== undefined && candidates.has(m.uuid))
      .map((m) => m.groupUuid!),
  );
  const admin = new Map<string, boolean | undefined>();
  for (const uuid of needAdmin) admin.set(uuid, await ownAdmin(wire, phone, uuid));
  return [...seen.values()].map((m) =>
    messageItem(parent, m, m.groupUuid !== undefined ? admin.get(m.groupUuid) : undefined),
  );
}

/** Contacts whose phone is one of the account's own numbers (every page of them): never removed. */
async function ownContactIds(wire: TwoChatWire, contacts: readonly ObservedItem[]): Promise<string[]> {
  const own = new Set((await listNumbers(wire)).map((n) => digits(n.phone_number)));
  return contacts
    .filter((c) => c.facts.kind === 'contact' && c.facts.phone !== undefined && own.has(digits(c.facts.phone)))
    .map((c) => c.id);
}

async function observe(
  wire: TwoChatWire,
  refs: readonly CollectionRef[],
  hooks: ObserveHooks,
  deps: SessionDeps,
): Promise<ObservedCollection[]> {
  const collections = await mapLimit(refs, deps.concurrency, async (ref): Promise<ObservedCollection> => {
    try {
      if (ref.kind === 'contacts') {
        const items = await observeContacts(wire);
        return { ref, items, ownIds: await ownContactIds(wire, items), notes: [] };
      }
      const items = ref.kind === 'numbers' ? await observeNumbers(wire) : await observeMessages(wire, ref, hooks);
      return { ref, items, ownIds: [], notes: [] };
    } catch (error) {
      return { ref, items: [], ownIds: [], notes: [], error: error as Error };
    }
  });
  const note = wire.limitNote;
  return note ? collections.map((c) => ({ ...c, notes: [...c.notes, note] })) : collections;
}

function pathFor(action: Action): { path: string; operation: string } {
  const t = action.target;
  switch (action.type) {
    case 'delete-number':
      return { path: `/whatsapp/channel/${encodeURIComponent(t.uuid ?? t.id)}`, operation: 'delete-channel' };
    case 'delete-message':
      return {
        path: `/whatsapp/message/${encodeURIComponent(t.sessionKey ?? '')}/${encodeURIComponent(t.id)}`,
        operation: 'delete-message',
      };
    case 'delete-contact':
      return { path: `/contacts/${encodeURIComponent(t.id)}`, operation: 'delete-contact' };
    default:
      throw new Error(`2chat cannot ${action.type}`);
  }
}

function execute(wire: TwoChatWire, action: Action): Promise<ActionOutcome> {
  return guarded(action, async () => {
    const { path, operation } = pathFor(action);
    const res = await wire.send('DELETE', path, operation);
    if (res.status === 404) return outcomeOf(action, 'already-absent', res);
    expectShape(wire.ok(res), successBody);
    if (action.expected === 'partial')
      return outcomeOf(action, 'partial', res, action.warnings[0] ?? '2Chat deleted its own copy only');
    return outcomeOf(action, 'done', res);
  });
}

export const twoChatProvider: Provider<TwoChatAccountConfig> = {
  type: '2chat',
  connect(account, deps) {
    const wire = new TwoChatWire(account, deps.http);
    return {
      observe: (refs, hooks) => observe(wire, refs, hooks, deps),
      requestsFor: (actions) =>
        actions.map((a) => {
          const { path, operation } = pathFor(a);
          return wire.spec('DELETE', path, operation, 'off');
        }),
      execute: (actions) => Promise.all(actions.map((a) => execute(wire, a))),
      maxBatch: () => 1,
    };
  },
};
