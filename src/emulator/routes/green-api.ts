import type { EmuContext, EmuRequest, EmuResponse, MatchedRoute } from '../route.js';
import { isRecord, json, parseJsonBody, text } from '../route.js';
import type { LiveInstance } from '../world.js';
import { perSecond } from '../../shared/token-bucket.js';

/**
 * GREEN-API instance API: `/waInstance{id}/{method}/{token}`. Limits are per instance per method
 * (requests/second) as `../shared/providers.md` gives them.
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
    redactedPath: `/waInstance${id}/${method}/***${extra ?? ''}`,
    handle(req, ctx) {
      if (extra !== undefined) return text(404, 'Not Found');
      const inst = ctx.world.instances.get(id);
      if (!inst) return text(403, 'Forbidden');
      if (inst.info.apiTokenInstance !== token) return text(401, 'Unauthorized');
      if (!spec || spec.verb !== req.method) return text(404, 'Not Found');
      if (inst.info.deleted) return json(400, { message: 'Instance is deleted' });
      if (spec.needsSession) {
        const state = inst.info.state === undefined ? 'authorized' : inst.info.state;
        if (state === null || state === 'starting') return json(400, { message: 'instance in starting process try later' });
        if (state !== 'authorized' && state !== 'yellowCard') return json(400, { message: 'instance account not authorized' });
      }
      return spec.run(inst, req, ctx);
    },
  };
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
    run(inst, req) {
      if (takeTransientEmpty(inst)) return json(200, []);
      const group = req.query.get('group');
      const users = [...inst.contacts.values()].map((c) => ({ id: c.id, name: c.name ?? '', contactName: c.contactName ?? '', type: 'user' }));
      const groups = [...inst.groups.values()].map((g) => ({ id: g.id, name: g.subject, contactName: '', type: 'group' }));
      const items = group === 'true' ? groups : group === 'false' ? users : [...users, ...groups];
      return json(200, countLimited(items, req));
    },
  },
  getChats: {
    verb: 'GET',
    rate: 1,
    needsSession: true,
    run(inst, req) {
      if (takeTransientEmpty(inst)) return json(200, []);
      const chat = (id: string, name: string, type: string) => ({ id, name, type, archive: false, notSpam: true, ephemeralExpiration: 0, ephemeralSettingTimestamp: 0 });
      const items = [...[...inst.contacts.values()].map((c) => chat(c.id, c.name ?? '', 'user')), ...[...inst.groups.values()].map((g) => chat(g.id, g.subject, 'group'))];
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
      const g = inst.groups.get(groupId);
      // Decision (providers.md is silent): an unknown group answers 200 with the text GREEN-API uses.
      if (!g) return text(200, 'Error: item-not-found');
      const own = g.participants.find((p) => p.id === inst.info.wid);
      const isAdmin = Boolean(own?.isAdmin || own?.isSuperAdmin);
      return json(200, {
        groupId: g.id,
        owner: g.owner ?? '',
        subject: g.subject,
        creation: g.creation ?? 0,
        participants: g.participants.map((p) => ({ id: p.id, isAdmin: Boolean(p.isAdmin), isSuperAdmin: Boolean(p.isSuperAdmin) })),
        subjectTime: g.creation ?? 0,
        subjectOwner: g.owner ?? '',
        groupInviteLink: isAdmin ? `https://chat.whatsapp.com/${g.id.replace(/\D/g, '').slice(-22)}` : '',
      });
    },
  },
  getStateInstance: {
    verb: 'GET',
    rate: 1,
    needsSession: false,
    run(inst) {
      const state = inst.info.state === undefined ? 'authorized' : inst.info.state;
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
      const state = inst.info.state === undefined ? 'authorized' : inst.info.state;
      return json(200, { avatar: '', phone: inst.info.wid.replace(/@.*$/, ''), stateInstance: state, deviceId: '', ...(inst.info.lid ? { chatId: inst.info.lid } : {}) });
    },
  },
  logout: {
    verb: 'GET',
    rate: 1,
    needsSession: false,
    run(inst) {
      inst.info.state = 'notAuthorized';
      return json(200, { isLogout: true });
    },
  },
  deleteContact: {
    verb: 'POST',
    rate: 1,
    needsSession: true,
    run(inst, req) {
      const chatId = bodyField(req, 'chatId');
      if (typeof chatId !== 'string') return chatId;
      if (!/^\d{5,20}@(c\.us|lid)$/.test(chatId)) return validationFailed(`"chatId" must be a personal chat id, got ${JSON.stringify(chatId)}`);
      if (!inst.contacts.delete(chatId)) return json(404, { message: `${chatId} is not on WhatsApp` });
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
      if (typeof chatId !== 'string' || !/^\d{5,20}@(c\.us|lid)$/.test(chatId)) return validationFailed(`"chatId" must be a personal chat id, got ${JSON.stringify(chatId)}`);
      if (typeof firstName !== 'string' || firstName === '') return validationFailed('"firstName" is required');
      if (lastName !== undefined && typeof lastName !== 'string') return validationFailed('"lastName" must be a string');
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
    run(inst, req) {
      const groupId = bodyField(req, 'groupId');
      if (typeof groupId !== 'string') return groupId;
      const g = inst.groups.get(groupId);
      const own = g?.participants.find((p) => p.id === inst.info.wid);
      if (!g || !own) return validationFailed(`not a participant of ${groupId}`);
      inst.groups.delete(groupId);
      // The real service answers removeAdmin when the own number was an admin there.
      return json(200, own.isAdmin || own.isSuperAdmin ? { removeAdmin: true } : { leaveGroup: true });
    },
  },
};
