import { perSecond } from '../../shared/token-bucket.js';
import type { EmuContext, EmuRequest, EmuResponse, MatchedRoute } from '../route.js';
import { isRecord, json, parseJsonBody, text } from '../route.js';
import type { LiveInstance } from '../world.js';

/**
 * GREEN-API instance API: `/waInstance{id}/{method}/{token}`. Limits are per instance per method
 * (requests/second) as GREEN-API's "Rate limiter" page gives them (docs/providers.md).
 */
const INSTANCE_PATH = /^\/waInstance(\d{1,10})\/([A-Za-z]+)\/([^/]+)(\/.*)?$/;

interface MethodSpec {
  readonly verb: 'GET' | 'POST';
  readonly rate: number;
  /** Needs a WhatsApp session (authorized/yellowCard); others answer 400 like the real service. */
  readonly needsSession: boolean;
  run(inst: LiveInstance, req: EmuRequest, ctx: EmuContext): EmuResponse;
}

export function matchGreenApiInstance(path: string): MatchedRoute | undefined {
  const m = INSTANCE_PATH.exec(path);
  if (!m) return undefined;
  const id = Number(m[1]);
  const method = m[2]!;
  const token = decodeURIComponent(m[3]!);
  const extra = m[4];
  const spec = METHODS[method];
  return {
    provider: 'green-api',
    operation: method,
    limitName: method,
    bucket: `green-api:${id}:${method}`,
    defaultLimit: spec ? perSecond(spec.rate) : undefined,
    // Rate limiter page: requests over the limit are rejected with 429; no Retry-After is documented.
    retryAfter: false,
    redactedPath: `/waInstance${id}/${method}/***${extra ?? ''}`,
    handle(req, ctx) {
      if (extra !== undefined) return text(404, 'Not Found');
      const inst = ctx.world.instances.get(id);
      if (!inst) return text(403, 'Forbidden');
      if (inst.info.apiTokenInstance !== token) return text(401, 'Unauthorized');
      if (!spec || spec.verb !== req.method) return text(404, 'Not Found');
      if (inst.info.deleted) return json(400, { message: 'Instance is deleted' });
      // Common errors: every method of an expired instance answers 400.
      if (inst.info.isExpired)
        return json(400, { message: 'Instance account is expired. Renew your instance from personal area' });
      if (spec.needsSession) {
        const state = stateOf(inst);
        if (state === null || state === 'starting')
          return json(400, { message: 'instance in starting process try later' });
        if (state !== 'authorized' && state !== 'yellowCard')
          return json(400, { message: 'instance account not authorized' });
      }
      return spec.run(inst, req, ctx);
    },
  };
}

/** The documented state; `suspended` (older state files) is read as `sleepMode`. */
function stateOf(inst: LiveInstance): string | null {
  const state = inst.info.state === undefined ? 'authorized' : inst.info.state;
  return state === 'suspended' ? 'sleepMode' : state;
}

/** GetChats: "This information is updated no more than once every minute": a group left stays listed that long. */
const CHATS_REFRESH_MS = 60_000;

const ownKeys = (inst: LiveInstance): string[] => [inst.info.wid, ...(inst.info.lid ? [inst.info.lid] : [])];

/** The id the service lists a contact by: its LID when WhatsApp gave one (FAQ on LID), else its phone id. */
const listedId = (c: { id: string; lid?: string }): string => c.lid ?? c.id;

/** Contacts whose deletion is still propagating (`contactsLagMs`): listed until the lag has passed. */
function visibleContacts(inst: LiveInstance, now: number) {
  const lag = inst.info.contactsLagMs ?? 0;
  const lingering =
    lag > 0
      ? (inst.info.deletedContacts ?? []).filter((d) => now - Date.parse(d.deletedAt) < lag).map((d) => d.contact)
      : [];
  return [...inst.contacts.values(), ...lingering];
}

const validationFailed = (details: string): EmuResponse => json(400, { message: 'Validation failed', details });

/** Reads one string field from a JSON body, or answers GREEN-API's 400. */
function bodyField(req: EmuRequest, field: string): string | EmuResponse {
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok) return json(400, { message: 'bad request data' });
  const value = isRecord(parsed.value) ? parsed.value[field] : undefined;
  if (typeof value !== 'string' || value === '') return validationFailed(`"${field}" is required`);
  return value;
}

function takeTransientEmpty(inst: LiveInstance): boolean {
  const left = inst.info.transientEmptyLists ?? 0;
  if (left <= 0) return false;
  inst.info.transientEmptyLists = left - 1;
  return true;
}

function countLimited<T>(items: T[], req: EmuRequest): T[] {
  const count = req.query.get('count');
  return count !== null && /^\d+$/.test(count) ? items.slice(0, Number(count)) : items;
}

const METHODS: Record<string, MethodSpec> = {
  getContacts: {
    verb: 'GET',
    rate: 1,
    needsSession: true,
    run(inst, req, ctx) {
      if (takeTransientEmpty(inst)) return json(200, []);
      const group = req.query.get('group');
      const users = visibleContacts(inst, ctx.now().getTime()).map((c) => ({
        id: listedId(c),
        name: c.name ?? '',
        contactName: c.contactName ?? '',
        type: 'user',
      }));
      const groups = [...inst.groups.values()].map((g) => ({
        id: g.id,
        name: g.subject,
        contactName: '',
        type: 'group',
      }));
      const items = group === 'true' ? groups : group === 'false' ? users : [...users, ...groups];
      return json(200, countLimited(items, req));
    },
  },
  getChats: {
    verb: 'GET',
    rate: 1,
    needsSession: true,
    run(inst, req, ctx) {
      if (takeTransientEmpty(inst)) return json(200, []);
      const now = ctx.now().getTime();
      const chat = (id: string, name: string, type: string) => ({
        id,
        name,
        type,
        archive: false,
        notSpam: true,
        ephemeralExpiration: 0,
        ephemeralSettingTimestamp: 0,
      });
      // Groups left less than a minute ago are still listed: chat data refreshes at most once a minute.
      const left = (inst.info.leftGroups ?? []).filter(
        (g) => now - Date.parse(g.leftAt) < CHATS_REFRESH_MS && !inst.groups.has(g.id),
      );
      const items = [
        ...visibleContacts(inst, now).map((c) => chat(listedId(c), c.name ?? '', 'user')),
        ...[...inst.groups.values(), ...left].map((g) => chat(g.id, g.subject, 'group')),
      ];
      return json(200, countLimited(items, req));
    },
  },
  getGroupData: {
    verb: 'POST',
    rate: 1,
    needsSession: true,
    run(inst, req) {
      const groupId = bodyField(req, 'groupId');
      if (typeof groupId !== 'string') return groupId;
      // A group the instance left is still known to WhatsApp: its data, without the own number.
      const g = inst.groups.get(groupId) ?? inst.info.leftGroups?.find((l) => l.id === groupId);
      // Decision (the documentation is silent): an unknown group answers 200 with the text GREEN-API uses.
      if (!g) return text(200, 'Error: item-not-found');
      const own = g.participants.find((p) => ownKeys(inst).includes(p.id));
      const isAdmin = Boolean(own?.isAdmin || own?.isSuperAdmin);
      return json(200, {
        groupId: g.id,
        owner: g.owner ?? '',
        subject: g.subject,
        creation: g.creation ?? 0,
        participants: g.participants.map((p) => ({
          id: p.id,
          isAdmin: Boolean(p.isAdmin),
          isSuperAdmin: Boolean(p.isSuperAdmin),
        })),
        subjectTime: g.creation ?? 0,
        subjectOwner: g.owner ?? '',
        groupInviteLink: isAdmin ? `https://chat.whatsapp.com/${g.id.replace(/\D/g, '').slice(-22)}` : '',
      });
    },
  },
  getContactInfo: {
    verb: 'POST',
    rate: 1,
    needsSession: true,
    run(inst, req, ctx) {
      const chatId = bodyField(req, 'chatId');
      if (typeof chatId !== 'string') return chatId;
      if (chatId.endsWith('@g.us')) return validationFailed('The method GetContactInfo does not support group chats');
      const c = visibleContacts(inst, ctx.now().getTime()).find((x) => x.id === chatId || x.lid === chatId);
      if (!c) return validationFailed(`unknown correspondent ${JSON.stringify(chatId)}`);
      // GetContactInfo answers phoneNumber; a contact known only by its LID has none to give.
      const phone = /^(\d+)@c\.us$/.exec(c.id)?.[1];
      return json(200, {
        avatar: '',
        name: c.name ?? '',
        contactName: c.contactName ?? '',
        email: '',
        category: '',
        description: '',
        products: [],
        chatId: listedId(c),
        lastSeen: null,
        isArchive: false,
        isDisappearing: false,
        isMute: false,
        messageExpiration: 0,
        muteExpiration: null,
        isBusiness: false,
        ...(phone ? { phoneNumber: Number(phone) } : {}),
      });
    },
  },
  getStateInstance: {
    verb: 'GET',
    rate: 1,
    needsSession: false,
    run(inst) {
      const state = stateOf(inst);
      return json(200, state === null ? null : { stateInstance: state });
    },
  },
  getSettings: {
    verb: 'GET',
    rate: 1,
    needsSession: false,
    run(inst) {
      return json(200, {
        wid: inst.info.wid,
        countryInstance: '',
        typeAccount: '',
        webhookUrl: '',
        webhookUrlToken: '',
        delaySendMessagesMilliseconds: 5000,
        markIncomingMessagesReaded: 'no',
        markIncomingMessagesReadedOnReply: 'no',
        outgoingWebhook: 'yes',
        outgoingMessageWebhook: 'yes',
        outgoingAPIMessageWebhook: 'yes',
        incomingWebhook: 'yes',
        stateWebhook: 'no',
        keepOnlineStatus: 'no',
      });
    },
  },
  getWaSettings: {
    verb: 'GET',
    rate: 1,
    needsSession: false,
    run(inst) {
      const state = stateOf(inst);
      // GetWaSettings: chatId is the own lid; avatar, chatId, phone and deviceId are empty when the
      // instance is notAuthorized, blocked or starting.
      const blank = state === null || state === 'notAuthorized' || state === 'blocked' || state === 'starting';
      return json(200, {
        avatar: '',
        phone: blank ? '' : inst.info.wid.replace(/@.*$/, ''),
        stateInstance: state,
        deviceId: '',
        chatId: blank ? '' : (inst.info.lid ?? ''),
      });
    },
  },
  logout: {
    verb: 'GET',
    rate: 1,
    needsSession: false,
    run(inst) {
      // Common errors: an instance rebooting (starting) answers "instance in starting process try later".
      if (stateOf(inst) === 'starting') return json(400, { message: 'instance in starting process try later' });
      inst.info.state = 'notAuthorized';
      return json(200, { isLogout: true });
    },
  },
  deleteContact: {
    verb: 'POST',
    rate: 1,
    needsSession: true,
    run(inst, req, ctx) {
      const chatId = bodyField(req, 'chatId');
      if (typeof chatId !== 'string') return chatId;
      // DeleteContact: chatId is "Phone number in the format of a personal chat ID" (79876543210@c.us).
      // Decision: anything else, a LID included, is refused as a validation error.
      if (!/^\d{5,20}@c\.us$/.test(chatId))
        return validationFailed(
          `"chatId" must be a phone number as a personal chat id (79876543210@c.us), got ${JSON.stringify(chatId)}`,
        );
      const contact = inst.contacts.get(chatId);
      if (!contact) return json(404, { message: `${chatId} is not on WhatsApp` });
      inst.contacts.delete(chatId);
      if ((inst.info.contactsLagMs ?? 0) > 0) {
        inst.info.deletedContacts = [
          ...(inst.info.deletedContacts ?? []),
          { contact, deletedAt: ctx.now().toISOString() },
        ];
      }
      return json(200, { deleteContact: true });
    },
  },
  addContact: {
    verb: 'POST',
    rate: 1,
    needsSession: true,
    // green-api.com/docs/api/contacts/AddContact: chatId and firstName required, lastName optional;
    // 400 "Contact <id> already exists", 404 "<id> is not on WhatsApp".
    run(inst, req) {
      const parsed = parseJsonBody(req.body);
      if (!parsed.ok || !isRecord(parsed.value)) return json(400, { message: 'bad request data' });
      const { chatId, firstName, lastName } = parsed.value;
      if (typeof chatId !== 'string' || !/^\d{5,20}@(c\.us|lid)$/.test(chatId))
        return validationFailed(`"chatId" must be a personal chat id, got ${JSON.stringify(chatId)}`);
      if (typeof firstName !== 'string' || firstName === '') return validationFailed('"firstName" is required');
      if (lastName !== undefined && typeof lastName !== 'string')
        return validationFailed('"lastName" must be a string');
      if (inst.contacts.has(chatId)) return json(400, { message: `Contact ${chatId} already exists` });
      if (inst.info.notOnWhatsApp?.includes(chatId)) return json(404, { message: `${chatId} is not on WhatsApp` });
      const name = [firstName, lastName].filter(Boolean).join(' ');
      inst.contacts.set(chatId, { id: chatId, name, contactName: name });
      return json(200, { addContact: true });
    },
  },
  leaveGroup: {
    verb: 'POST',
    rate: 10,
    needsSession: true,
    run(inst, req, ctx) {
      const groupId = bodyField(req, 'groupId');
      if (typeof groupId !== 'string') return groupId;
      if (!/^[0-9]+(-[0-9]+)?@g\.us$/.test(groupId))
        return validationFailed(`"groupId" must be a group chat id, got ${JSON.stringify(groupId)}`);
      const g = inst.groups.get(groupId);
      const own = g?.participants.find((p) => ownKeys(inst).includes(p.id));
      // Decision (RemoveAdmin documents 200 + false for "not a participant of the group"): the same here.
      if (!g || !own) return json(200, { leaveGroup: false });
      inst.groups.delete(groupId);
      const rest = g.participants.filter((p) => p !== own);
      inst.info.leftGroups = [
        ...(inst.info.leftGroups ?? []).filter((l) => l.id !== groupId),
        { ...g, participants: rest, leftAt: ctx.now().toISOString() },
      ];
      // LeaveGroup: removeAdmin is the "leave group flag (if you are the administrator of the group)".
      return json(200, own.isAdmin || own.isSuperAdmin ? { removeAdmin: true } : { leaveGroup: true });
    },
  },
};
