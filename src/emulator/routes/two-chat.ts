import { createHash } from 'node:crypto';
import { perMinute } from '../../shared/token-bucket.js';
import type { EmuContext, EmuRequest, EmuResponse, MatchedRoute } from '../route.js';
import { isRecord, json, parseJsonBody } from '../route.js';
import type { TwoChatGroup, TwoChatMessage } from '../state.js';
import type { LiveNumber, LiveTwoChatAccount } from '../world.js';

/** 2Chat: `/open/...`, `X-User-API-Key`, one per-minute limit per account across all endpoints. */
const DEFAULT_REQUESTS_PER_MINUTE = 60;
/** Trial accounts: 10 requests per minute ("Check if a phone number is on WhatsApp" page). */
const TRIAL_REQUESTS_PER_MINUTE = 10;
const MESSAGES_PER_PAGE = 100;
/** Group messages come 50 a page. */
const GROUP_MESSAGES_PER_PAGE = 50;
/** `get-numbers`: `results_per_page` defaults to 50. */
const NUMBERS_PER_PAGE = 50;
const WHATSAPP_DELETE_WINDOW_MS = 60 * 3600 * 1000;

type Handler = (acc: LiveTwoChatAccount, params: string[], req: EmuRequest, ctx: EmuContext) => EmuResponse;

const ROUTES: { verb: string; pattern: RegExp; operation: string; run: Handler }[] = [
  { verb: 'GET', pattern: /^\/open\/info$/, operation: 'info', run: info },
  { verb: 'GET', pattern: /^\/open\/whatsapp\/get-numbers$/, operation: 'get-numbers', run: getNumbers },
  { verb: 'DELETE', pattern: /^\/open\/whatsapp\/channel\/([^/]+)$/, operation: 'delete-channel', run: deleteChannel },
  { verb: 'GET', pattern: /^\/open\/whatsapp\/messages\/([^/]+)$/, operation: 'list-messages', run: listMessages },
  {
    verb: 'DELETE',
    pattern: /^\/open\/whatsapp\/message\/([^/]+)\/([^/]+)$/,
    operation: 'delete-message',
    run: deleteMessage,
  },
  {
    verb: 'GET',
    pattern: /^\/open\/whatsapp\/groups\/messages\/([^/]+)$/,
    operation: 'list-group-messages',
    run: listGroupMessages,
  },
  { verb: 'GET', pattern: /^\/open\/whatsapp\/groups\/([^/]+)$/, operation: 'list-groups', run: listGroups },
  {
    verb: 'GET',
    pattern: /^\/open\/whatsapp\/group\/([^/]+)$/,
    operation: 'group-participants',
    run: groupParticipants,
  },
  { verb: 'GET', pattern: /^\/open\/contacts$/, operation: 'list-contacts', run: listContacts },
  { verb: 'POST', pattern: /^\/open\/contacts$/, operation: 'create-contact', run: createContact },
  { verb: 'DELETE', pattern: /^\/open\/contacts\/([^/]+)$/, operation: 'delete-contact', run: deleteContact },
];

export function matchTwoChat(
  path: string,
  method: string,
  headers: EmuRequest['headers'],
  ctx: EmuContext,
): MatchedRoute | undefined {
  if (!path.startsWith('/open/')) return undefined;
  const route =
    ROUTES.find((r) => r.verb === method && r.pattern.test(path)) ?? ROUTES.find((r) => r.pattern.test(path));
  const key = String(headers['x-user-api-key'] ?? '');
  const account = ctx.world.twoChat.get(key);
  return {
    provider: '2chat',
    operation: route?.operation ?? 'unknown',
    limitName: '2chat',
    bucket: `2chat:${key}`,
    defaultLimit: perMinute(account ? limitOf(account) : DEFAULT_REQUESTS_PER_MINUTE),
    redactedPath: path,
    handle(req, c) {
      if (!route) return json(404, { success: false, message: 'Not found' });
      if (!account) return json(401, { success: false, error_message: 'Invalid API key' });
      if (route.verb !== req.method) return json(404, { success: false, message: 'Not found' });
      const params = (route.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
      return route.run(account, params, req, c);
    },
  };
}

const notFound = (what: string): EmuResponse => json(404, { success: false, message: `${what} not found` });

const limitOf = (acc: LiveTwoChatAccount): number =>
  acc.info.requestsPerMinute ?? (acc.info.onTrial ? TRIAL_REQUESTS_PER_MINUTE : DEFAULT_REQUESTS_PER_MINUTE);

function info(acc: LiveTwoChatAccount): EmuResponse {
  if (acc.info.infoStatus !== undefined)
    return json(acc.info.infoStatus, { success: false, error_message: 'info is unavailable' });
  return json(200, {
    success: true,
    account: { name: acc.info.account ?? 'emulated account', on_trial: acc.info.onTrial ?? false, blocked: false },
    limits: { requests_per_minute: limitOf(acc) },
    usage: { numbers: acc.numbers.size, contacts: acc.contacts.size },
  });
}

/** A time of the state (ISO, or 2Chat's zoneless form read as UTC) as epoch ms. */
function instantOf(text: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
}

/** 2Chat's documented date form: `YYYY-MM-DD HH:MM:SS`, no zone (the emulator writes the UTC clock time). */
function zoneless(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `page_number` (0-based, default 0) of a list with a fixed page size, or a 400. */
function pageNumber(req: EmuRequest): number | EmuResponse {
  const pageText = req.query.get('page_number') ?? '0';
  if (!/^\d+$/.test(pageText))
    return json(400, { success: false, error_message: 'page_number must be a non-negative integer' });
  return Number(pageText);
}

/** `page_number` (0-based, default 0) and `results_per_page` (1..100, default `size`), or a 400. */
function paging(req: EmuRequest, size: number): { page: number; size: number } | EmuResponse {
  const pageText = req.query.get('page_number') ?? '0';
  const sizeText = req.query.get('results_per_page') ?? String(size);
  if (!/^\d+$/.test(pageText) || !/^\d+$/.test(sizeText) || Number(sizeText) < 1 || Number(sizeText) > 100) {
    return json(400, {
      success: false,
      error_message: 'page_number must be >= 0 and results_per_page between 1 and 100',
    });
  }
  return { page: Number(pageText), size: Number(sizeText) };
}

function getNumbers(acc: LiveTwoChatAccount, _p: string[], req: EmuRequest): EmuResponse {
  const paged = paging(req, NUMBERS_PER_PAGE);
  if ('status' in paged) return paged;
  const slice = [...acc.numbers.values()].slice(paged.page * paged.size, (paged.page + 1) * paged.size);
  return json(200, {
    success: true,
    page_number: paged.page,
    count: slice.length,
    numbers: slice.map(({ info: n }) => ({
      uuid: n.uuid,
      friendly_name: n.friendly_name ?? '',
      phone_number: n.phone_number,
      server: `${n.phone_number.slice(1)}@c.us`,
      connection_status: n.connection_status ?? 'C',
      enabled: n.enabled ?? true,
      channel_type: n.channel_type ?? 'WW',
      created_at: zoneless(instantOf(n.created_at ?? '2026-01-01T00:00:00Z')),
    })),
  });
}

function deleteChannel(acc: LiveTwoChatAccount, [uuid]: string[]): EmuResponse {
  if (!uuid || !acc.numbers.delete(uuid)) return notFound('number');
  return json(200, { success: true });
}

/** `WW-<number uuid>-<remote digits>@c.us`, or `WW-<number uuid>-<group id>` for a group. */
function sessionKey(numberUuid: string, m: Pick<TwoChatMessage, 'remote' | 'group'>): string {
  return m.group || m.remote.endsWith('@g.us')
    ? `WW-${numberUuid}-${m.remote}`
    : `WW-${numberUuid}-${m.remote.replace(/^\+/, '')}@c.us`;
}

function waMessageId(uuid: string): string {
  return `3EB0${Buffer.from(uuid).toString('hex').slice(-16).toUpperCase()}`;
}

const newestFirst = (list: TwoChatMessage[]): TwoChatMessage[] =>
  list.sort((a, b) => instantOf(b.created_at) - instantOf(a.created_at) || a.uuid.localeCompare(b.uuid));

/** A message time as the account writes it (`messageTimes`). */
const timeOf = (acc: LiveTwoChatAccount, text: string): string =>
  acc.info.messageTimes === 'zoneless'
    ? zoneless(instantOf(text))
    : new Date(instantOf(text)).toISOString().replace('.000Z', 'Z');

function listMessages(acc: LiveTwoChatAccount, [phone]: string[], req: EmuRequest): EmuResponse {
  const number = numberByPhone(acc, phone);
  if (!number) return notFound('number');
  const page = pageNumber(req);
  if (typeof page !== 'number') return page;
  const slice = newestFirst([...number.messages.values()]).slice(
    page * MESSAGES_PER_PAGE,
    (page + 1) * MESSAGES_PER_PAGE,
  );
  return json(200, {
    success: true,
    page_number: page,
    messages: slice.map((m) => ({
      uuid: m.uuid,
      session_key: sessionKey(number.info.uuid, m),
      created_at: timeOf(acc, m.created_at),
      remote_phone_number: m.remote,
      sent_by: m.sent_by,
      is_from_api: m.sent_by === 'api',
      wa_msg_id: waMessageId(m.uuid),
      sent: true,
      message: { text: m.text ?? '' },
    })),
  });
}

function deleteMessage(
  acc: LiveTwoChatAccount,
  [session, uuid]: string[],
  _req: EmuRequest,
  ctx: EmuContext,
): EmuResponse {
  let owner: LiveNumber | undefined;
  for (const n of acc.numbers.values()) {
    const m = uuid ? n.messages.get(uuid) : undefined;
    if (m && sessionKey(n.info.uuid, m) === session) owner = n;
  }
  const message = owner && uuid ? owner.messages.get(uuid) : undefined;
  if (!owner || !message) return notFound('message');
  const young = ctx.now().getTime() - instantOf(message.created_at) < WHATSAPP_DELETE_WINDOW_MS;
  // WhatsApp: only the sender deletes a message for everyone, or an admin in a group.
  const group = isGroup(message) ? groupsOf(owner).get(message.remote) : undefined;
  const allowed = message.sent_by !== 'user' || (group !== undefined && (group.admin || group.superAdmin));
  owner.messages.delete(message.uuid);
  // 2Chat always answers success; WhatsApp keeps the message when it is too old or not ours to delete.
  if (!(young && allowed)) owner.retainedOnWhatsApp.push(message.uuid);
  return json(200, { success: true, message_uuid: message.uuid, whatsapp_message_id: waMessageId(message.uuid) });
}

const isGroup = (m: Pick<TwoChatMessage, 'remote' | 'group'>): boolean =>
  Boolean(m.group) || m.remote.endsWith('@g.us');

interface LiveGroup {
  id: string;
  uuid: string;
  name: string;
  admin: boolean;
  superAdmin: boolean;
  participants: NonNullable<TwoChatGroup['participants']>;
}

/** A stable group uuid in 2Chat's form (WAG + uuid) from the number and the group id. */
function derivedGroupUuid(numberUuid: string, groupId: string): string {
  const h = createHash('sha256').update(`${numberUuid}/${groupId}`).digest('hex');
  return `WAG${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The number's groups: the ones its state lists, and every group its messages name (state files
 * written before `groups` existed). Admin rights: the group's `admin`, else any of its messages
 * marked `admin: true` (the old meaning of that key).
 */
function groupsOf(number: LiveNumber): Map<string, LiveGroup> {
  const out = new Map<string, LiveGroup>();
  const add = (id: string, g: TwoChatGroup | undefined): LiveGroup => {
    let live = out.get(id);
    if (!live) {
      live = {
        id,
        uuid: g?.uuid ?? derivedGroupUuid(number.info.uuid, id),
        name: g?.name ?? id,
        admin: g?.admin ?? false,
        superAdmin: g?.superAdmin ?? false,
        participants: g?.participants ?? [],
      };
      out.set(id, live);
    }
    return live;
  };
  for (const g of number.info.groups ?? []) add(g.id, g);
  for (const m of number.messages.values()) {
    if (!isGroup(m)) continue;
    const live = add(m.remote, undefined);
    const declared = number.info.groups?.find((g) => g.id === m.remote);
    if (m.admin && declared?.admin === undefined) live.admin = true;
  }
  return out;
}

function numberByPhone(acc: LiveTwoChatAccount, phone: string | undefined): LiveNumber | undefined {
  return [...acc.numbers.values()].find((n) => n.info.phone_number === phone);
}

function groupByUuid(
  acc: LiveTwoChatAccount,
  uuid: string | undefined,
): { number: LiveNumber; group: LiveGroup } | undefined {
  for (const number of acc.numbers.values()) {
    for (const group of groupsOf(number).values()) if (group.uuid === uuid) return { number, group };
  }
  return undefined;
}

function listGroups(acc: LiveTwoChatAccount, [phone]: string[], req: EmuRequest): EmuResponse {
  const number = numberByPhone(acc, phone);
  if (!number) return notFound('number');
  const paged = paging(req, NUMBERS_PER_PAGE);
  if ('status' in paged) return paged;
  const slice = [...groupsOf(number).values()].slice(paged.page * paged.size, (paged.page + 1) * paged.size);
  return json(200, {
    success: true,
    page_number: paged.page,
    count: slice.length,
    data: slice.map((g) => ({
      uuid: g.uuid,
      channel_uuid: number.info.uuid,
      wa_group_id: g.id,
      wa_group_name: g.name,
      size: g.participants.length + 1,
      is_muted: false,
      is_read_only: false,
      channel_is_owner: g.superAdmin,
    })),
  });
}

const participant = (phone: string, admin: boolean, superAdmin: boolean) => ({
  wa_participant_id: `${phone.replace(/^\+/, '')}@c.us`,
  wa_is_admin: admin,
  wa_is_super_admin: superAdmin,
  phone_number: phone,
});

function groupParticipants(acc: LiveTwoChatAccount, [uuid]: string[]): EmuResponse {
  const found = groupByUuid(acc, uuid);
  if (!found) return notFound('group');
  const { number, group } = found;
  return json(200, {
    success: true,
    data: {
      uuid: group.uuid,
      channel_uuid: number.info.uuid,
      wa_group_id: group.id,
      wa_group_name: group.name,
      size: group.participants.length + 1,
      participants: [
        participant(number.info.phone_number, group.admin || group.superAdmin, group.superAdmin),
        ...group.participants.map((p) =>
          participant(p.phone_number, Boolean(p.admin || p.superAdmin), Boolean(p.superAdmin)),
        ),
      ],
    },
  });
}

function listGroupMessages(acc: LiveTwoChatAccount, [uuid]: string[], req: EmuRequest): EmuResponse {
  const found = groupByUuid(acc, uuid);
  if (!found) return notFound('group');
  const page = pageNumber(req);
  if (typeof page !== 'number') return page;
  const { number, group } = found;
  const all = newestFirst([...number.messages.values()].filter((m) => isGroup(m) && m.remote === group.id));
  const slice = all.slice(page * GROUP_MESSAGES_PER_PAGE, (page + 1) * GROUP_MESSAGES_PER_PAGE);
  return json(200, {
    success: true,
    page_number: page,
    messages: slice.map((m) => ({
      uuid: m.uuid,
      session_key: sessionKey(number.info.uuid, m),
      created_at: timeOf(acc, m.created_at),
      sent_by: m.sent_by,
      participant:
        m.sent_by === 'user'
          ? { phone_number: null, pushname: '' }
          : { phone_number: number.info.phone_number, pushname: number.info.friendly_name ?? '' },
      wa_msg_id: waMessageId(m.uuid),
      message: { text: m.text ?? '' },
    })),
  });
}

function listContacts(acc: LiveTwoChatAccount, _p: string[], req: EmuRequest): EmuResponse {
  const paged = paging(req, 100);
  if ('status' in paged) return paged;
  const { page, size } = paged;
  const slice = [...acc.contacts.values()].slice(page * size, (page + 1) * size);
  return json(200, {
    success: true,
    page,
    count: slice.length,
    contacts: slice.map((c) => ({
      uuid: c.uuid,
      first_name: c.first_name ?? '',
      last_name: c.last_name ?? '',
      channel_uuid: c.channel_uuid ?? null,
      details: [
        ...(c.phone ? [{ type: 'WAPH', value: c.phone }] : []),
        ...(c.email ? [{ type: 'E', value: c.email }] : []),
      ],
    })),
  });
}

function deleteContact(acc: LiveTwoChatAccount, [uuid]: string[]): EmuResponse {
  if (!uuid || !acc.contacts.delete(uuid)) return notFound('contact');
  return json(200, { success: true });
}

/**
 * `POST /open/contacts` (developers.2chat.co, Contacts → create contact): `first_name`, `last_name`,
 * `contact_detail: [{type: "WAPH"|"PH"|"E", value}]`. The docs give no response shape beyond
 * `success`; the emulator answers `{success: true, uuid}` with a new uuid (derived from the account's
 * contact count and the body, so runs are reproducible) and never merges with an existing contact.
 */
function createContact(acc: LiveTwoChatAccount, _p: string[], req: EmuRequest): EmuResponse {
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok || !isRecord(parsed.value)) return json(400, { success: false, error_message: 'invalid JSON body' });
  const { first_name, last_name, contact_detail } = parsed.value;
  if (typeof first_name !== 'string' || first_name === '')
    return json(400, { success: false, error_message: 'first_name is required' });
  const details = Array.isArray(contact_detail) ? contact_detail.filter(isRecord) : [];
  const phone = details.find((d) => d['type'] === 'WAPH' || d['type'] === 'PH')?.['value'];
  const email = details.find((d) => d['type'] === 'E')?.['value'];
  const uuid = `CON${createHash('sha256').update(`${acc.contacts.size}:${req.body}`).digest('hex').slice(0, 24)}`;
  acc.contacts.set(uuid, {
    uuid,
    first_name,
    ...(typeof last_name === 'string' && last_name !== '' ? { last_name } : {}),
    ...(typeof phone === 'string' ? { phone } : {}),
    ...(typeof email === 'string' ? { email } : {}),
  });
  return json(200, { success: true, uuid });
}
