import type { EmuContext, EmuRequest, EmuResponse, MatchedRoute } from '../route.js';
import { json } from '../route.js';
import type { LiveNumber, LiveTwoChatAccount } from '../world.js';
import type { TwoChatMessage } from '../state.js';
import { perMinute } from '../../shared/token-bucket.js';

/** 2Chat: `/open/...`, `X-User-API-Key`, one per-minute limit per account across all endpoints. */
const DEFAULT_REQUESTS_PER_MINUTE = 60;
const MESSAGES_PER_PAGE = 100;
const WHATSAPP_DELETE_WINDOW_MS = 60 * 3600 * 1000;

type Handler = (acc: LiveTwoChatAccount, params: string[], req: EmuRequest, ctx: EmuContext) => EmuResponse;

const ROUTES: { verb: string; pattern: RegExp; operation: string; run: Handler }[] = [
  { verb: 'GET', pattern: /^\/open\/info$/, operation: 'info', run: info },
  { verb: 'GET', pattern: /^\/open\/whatsapp\/get-numbers$/, operation: 'get-numbers', run: getNumbers },
  { verb: 'DELETE', pattern: /^\/open\/whatsapp\/channel\/([^/]+)$/, operation: 'delete-channel', run: deleteChannel },
  { verb: 'GET', pattern: /^\/open\/whatsapp\/messages\/([^/]+)$/, operation: 'list-messages', run: listMessages },
  { verb: 'DELETE', pattern: /^\/open\/whatsapp\/message\/([^/]+)\/([^/]+)$/, operation: 'delete-message', run: deleteMessage },
  { verb: 'GET', pattern: /^\/open\/contacts$/, operation: 'list-contacts', run: listContacts },
  { verb: 'DELETE', pattern: /^\/open\/contacts\/([^/]+)$/, operation: 'delete-contact', run: deleteContact },
];

export function matchTwoChat(path: string, method: string, headers: EmuRequest['headers'], ctx: EmuContext): MatchedRoute | undefined {
  if (!path.startsWith('/open/')) return undefined;
  const route = ROUTES.find((r) => r.verb === method && r.pattern.test(path)) ?? ROUTES.find((r) => r.pattern.test(path));
  const key = String(headers['x-user-api-key'] ?? '');
  const account = ctx.world.twoChat.get(key);
  return {
    provider: '2chat',
    operation: route?.operation ?? 'unknown',
    limitName: '2chat',
    bucket: `2chat:${key}`,
    defaultLimit: perMinute(account?.info.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE),
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

function info(acc: LiveTwoChatAccount): EmuResponse {
  return json(200, {
    success: true,
    account: acc.info.account ?? 'emulated account',
    limits: { requests_per_minute: acc.info.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE },
    usage: { numbers: acc.numbers.size, contacts: acc.contacts.size },
  });
}

function getNumbers(acc: LiveTwoChatAccount): EmuResponse {
  return json(200, {
    success: true,
    numbers: [...acc.numbers.values()].map(({ info: n }) => ({
      uuid: n.uuid,
      friendly_name: n.friendly_name ?? '',
      phone_number: n.phone_number,
      server: `${n.phone_number.slice(1)}@c.us`,
      connection_status: n.connection_status ?? 'C',
      enabled: n.enabled ?? true,
      channel_type: n.channel_type ?? 'WA',
      created_at: n.created_at ?? '2026-01-01T00:00:00Z',
    })),
  });
}

function deleteChannel(acc: LiveTwoChatAccount, [uuid]: string[]): EmuResponse {
  if (!uuid || !acc.numbers.delete(uuid)) return notFound('number');
  return json(200, { success: true });
}

/** `WW-<number uuid>-<remote digits>@c.us`, or `WW-<number uuid>-<group id>` for a group. */
export function sessionKey(numberUuid: string, m: Pick<TwoChatMessage, 'remote' | 'group'>): string {
  return m.group || m.remote.endsWith('@g.us') ? `WW-${numberUuid}-${m.remote}` : `WW-${numberUuid}-${m.remote.replace(/^\+/, '')}@c.us`;
}

function waMessageId(uuid: string): string {
  return `3EB0${Buffer.from(uuid).toString('hex').slice(-16).toUpperCase()}`;
}

function listMessages(acc: LiveTwoChatAccount, [phone]: string[], req: EmuRequest): EmuResponse {
  const number = [...acc.numbers.values()].find((n) => n.info.phone_number === phone);
  if (!number) return notFound('number');
  const pageText = req.query.get('page_number') ?? '0';
  if (!/^\d+$/.test(pageText)) return json(400, { success: false, error_message: 'page_number must be a non-negative integer' });
  const page = Number(pageText);
  const sorted = [...number.messages.values()].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || a.uuid.localeCompare(b.uuid));
  const slice = sorted.slice(page * MESSAGES_PER_PAGE, (page + 1) * MESSAGES_PER_PAGE);
  return json(200, {
    success: true,
    page_number: page,
    messages: slice.map((m) => ({
      uuid: m.uuid,
      session_key: sessionKey(number.info.uuid, m),
      created_at: m.created_at,
      remote_phone_number: m.remote,
      sent_by: m.sent_by,
      is_from_api: m.sent_by === 'api',
      wa_msg_id: waMessageId(m.uuid),
      sent: true,
      message: { text: m.text ?? '' },
    })),
  });
}

function deleteMessage(acc: LiveTwoChatAccount, [session, uuid]: string[], _req: EmuRequest, ctx: EmuContext): EmuResponse {
  let owner: LiveNumber | undefined;
  for (const n of acc.numbers.values()) {
    const m = uuid ? n.messages.get(uuid) : undefined;
    if (m && sessionKey(n.info.uuid, m) === session) owner = n;
  }
  const message = owner && uuid ? owner.messages.get(uuid) : undefined;
  if (!owner || !message) return notFound('message');
  const young = ctx.now().getTime() - Date.parse(message.created_at) < WHATSAPP_DELETE_WINDOW_MS;
  const allowedInGroup = !message.group || message.sent_by !== 'user' || Boolean(message.admin);
  owner.messages.delete(message.uuid);
  // 2Chat always answers success; WhatsApp keeps the message when it is too old or not ours to delete.
  if (!(young && allowedInGroup)) owner.retainedOnWhatsApp.push(message.uuid);
  return json(200, { success: true, message_uuid: message.uuid, whatsapp_message_id: waMessageId(message.uuid) });
}

function listContacts(acc: LiveTwoChatAccount, _p: string[], req: EmuRequest): EmuResponse {
  const pageText = req.query.get('page_number') ?? '0';
  const sizeText = req.query.get('results_per_page') ?? '100';
  if (!/^\d+$/.test(pageText) || !/^\d+$/.test(sizeText) || Number(sizeText) < 1 || Number(sizeText) > 100) {
    return json(400, { success: false, error_message: 'page_number must be >= 0 and results_per_page between 1 and 100' });
  }
  const page = Number(pageText);
  const size = Number(sizeText);
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
      details: [...(c.phone ? [{ type: 'WAPH', value: c.phone }] : []), ...(c.email ? [{ type: 'E', value: c.email }] : [])],
    })),
  });
}

function deleteContact(acc: LiveTwoChatAccount, [uuid]: string[]): EmuResponse {
  if (!uuid || !acc.contacts.delete(uuid)) return notFound('contact');
  return json(200, { success: true });
}

