import type { EmuContext, EmuRequest, EmuResponse, MatchedRoute } from '../route.js';
import { isRecord, json, parseJsonBody, text } from '../route.js';
import type { LiveInstance } from '../world.js';
import type { GreenPartner } from '../state.js';
import { perSecond } from '../../shared/token-bucket.js';

/**
 * GREEN-API partner API: `/partner/{method}/{partnerToken}`. Its quirk, kept faithfully: errors come
 * back as HTTP 200 with `{code, description}`.
 */
const PARTNER_PATH = /^\/partner\/([A-Za-z]+)\/([^/]+)$/;

const DEFAULT_CREATED = '2026-01-15T09:00:00.000Z';

export function matchGreenApiPartner(path: string): MatchedRoute | undefined {
  const m = PARTNER_PATH.exec(path);
  if (!m) return undefined;
  const method = m[1]!;
  const token = decodeURIComponent(m[2]!);
  return {
    provider: 'green-api-partner',
    operation: method,
    limitName: method,
    bucket: `partner:${token}:${method}`,
    defaultLimit: method === 'getInstances' || method === 'deleteInstanceAccount' ? perSecond(1) : undefined,
    redactedPath: `/partner/${method}/***`,
    handle(req, ctx) {
      const partner = ctx.world.partners.get(token);
      if (method === 'getInstances' && req.method === 'GET') return partner ? getInstances(partner, ctx) : unauthorized();
      if (method === 'deleteInstanceAccount' && req.method === 'POST') return partner ? deleteInstanceAccount(partner, req, ctx) : unauthorized();
      return text(404, 'Not Found');
    },
  };
}

const unauthorized = (): EmuResponse => json(200, { code: 401, description: 'Unauthorized' });

function listing(inst: LiveInstance) {
  const i = inst.info;
  return {
    idInstance: i.idInstance,
    name: i.name ?? '',
    typeInstance: i.typeInstance ?? 'whatsapp',
    typeAccount: 'console',
    partnerUserUiid: '',
    timeCreated: i.timeCreated ?? DEFAULT_CREATED,
    timeDeleted: i.timeDeleted ?? '',
    apiTokenInstance: i.apiTokenInstance,
    deleted: Boolean(i.deleted),
    tariff: i.tariff ?? 'DEVELOPER',
    isFree: i.isFree ?? false,
    isPartner: i.isPartner ?? true,
    expirationDate: i.expirationDate ?? '2027-01-15T09:00:00.000Z',
    isExpired: i.isExpired ?? false,
  };
}

function getInstances(partner: GreenPartner, ctx: EmuContext): EmuResponse {
  const items = partner.instances.flatMap((id) => {
    const inst = ctx.world.instances.get(id);
    return inst ? [listing(inst)] : [];
  });
  return json(200, items);
}

function deleteInstanceAccount(partner: GreenPartner, req: EmuRequest, ctx: EmuContext): EmuResponse {
  const parsed = parseJsonBody(req.body);
  const id = parsed.ok && isRecord(parsed.value) ? parsed.value['idInstance'] : undefined;
  if (typeof id !== 'number' || !Number.isInteger(id)) return json(200, { code: 400, description: 'Validation failed: idInstance must be a number' });
  const inst = ctx.world.instances.get(id);
  if (!inst || !partner.instances.includes(id) || inst.info.deleted) return json(200, { code: 404, description: 'Not found' });
  inst.info.deleted = true;
  inst.info.timeDeleted = ctx.now().toISOString();
  return json(200, { deleteInstanceAccount: true });
}
