import { perSecond } from '../../shared/token-bucket.js';
import type { EmuContext, EmuRequest, EmuResponse, MatchedRoute } from '../route.js';
import { isRecord, json, parseJsonBody, text } from '../route.js';
import type { GreenPartner } from '../state.js';
import type { LiveInstance } from '../world.js';

/**
 * GREEN-API partner API: `/partner/{method}/{partnerToken}`. Its quirk, kept faithfully: errors come
 * back as HTTP 200 with `{code, description}`.
 */
const PARTNER_PATH = /^\/partner\/([A-Za-z]+)\/([^/]+)$/;

const DEFAULT_CREATED = '2026-01-15T09:00:00.000Z';

/** GetInstances writes times as `2022-06-03T18:39:44` (no zone, no fraction); "not deleted" is `0001-01-01T00:00:00`. */
const partnerTime = (iso: string): string => new Date(iso).toISOString().slice(0, 19);
const NEVER = '0001-01-01T00:00:00';

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
    // Rate limiter page: requests over the limit are rejected with 429; no Retry-After is documented.
    retryAfter: false,
    redactedPath: `/partner/${method}/***`,
    handle(req, ctx) {
      const partner = ctx.world.partners.get(token);
      if (method === 'getInstances' && req.method === 'GET')
        return partner ? getInstances(partner, ctx, `http://${req.headers.host ?? '127.0.0.1'}`) : unauthorized();
      if (method === 'deleteInstanceAccount' && req.method === 'POST')
        return partner ? deleteInstanceAccount(partner, req, ctx) : unauthorized();
      return text(404, 'Not Found');
    },
  };
}

const unauthorized = (): EmuResponse => json(200, { code: 401, description: 'Unauthorized' });

function listing(inst: LiveInstance, base: string) {
  const i = inst.info;
  return {
    idInstance: i.idInstance,
    name: i.name ?? '',
    typeInstance: i.typeInstance ?? 'whatsapp',
    typeAccount: 'console',
    partnerUserUiid: '',
    timeCreated: partnerTime(i.timeCreated ?? DEFAULT_CREATED),
    timeDeleted: i.timeDeleted ? partnerTime(i.timeDeleted) : NEVER,
    apiTokenInstance: i.apiTokenInstance,
    deleted: Boolean(i.deleted),
    tariff: i.tariff ?? 'DEVELOPER',
    isFree: i.isFree ?? false,
    isPartner: i.isPartner ?? true,
    expirationDate: partnerTime(i.expirationDate ?? '2027-01-15T09:00:00.000Z'),
    isExpired: i.isExpired ?? false,
    // Decision: GetInstances documents no host per instance; the console shows one (apiUrl, mediaUrl).
    // The emulator serves every instance itself and says so here; see docs/providers.md.
    apiUrl: base,
    mediaUrl: base,
  };
}

function getInstances(partner: GreenPartner, ctx: EmuContext, base: string): EmuResponse {
  const items = partner.instances.flatMap((id) => {
    const inst = ctx.world.instances.get(id);
    return inst ? [listing(inst, base)] : [];
  });
  return json(200, items);
}

function deleteInstanceAccount(partner: GreenPartner, req: EmuRequest, ctx: EmuContext): EmuResponse {
  const parsed = parseJsonBody(req.body);
  const id = parsed.ok && isRecord(parsed.value) ? parsed.value['idInstance'] : undefined;
  if (typeof id !== 'number' || !Number.isInteger(id))
    return json(200, { code: 400, description: 'Validation failed: idInstance must be a number' });
  const inst = ctx.world.instances.get(id);
  if (!inst || !partner.instances.includes(id) || inst.info.deleted)
    return json(200, { code: 404, description: 'Not found' });
  inst.info.deleted = true;
  inst.info.timeDeleted = ctx.now().toISOString();
  return json(200, { deleteInstanceAccount: true });
}
