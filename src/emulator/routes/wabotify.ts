import type { EmuRequest, EmuResponse, MatchedRoute } from '../route.js';
import { isRecord, json, parseJsonBody, text } from '../route.js';
import type { WabotifyContact } from '../state.js';
import type { LiveWorkspace, World } from '../world.js';

/** Wabotify: `/api/contact` (list) and `/api/contact/delete-batch`, wrapped responses, bearer key. */
const MAX_BATCH = 100;
const DEFAULT_PAGE_SIZE = 20;

export function matchWabotify(path: string, headers: EmuRequest['headers']): MatchedRoute | undefined {
  const operation =
    path === '/api/contact' ? 'listContacts' : path === '/api/contact/delete-batch' ? 'deleteContactBatch' : undefined;
  if (!operation && !path.startsWith('/api/')) return undefined;
  const workspace = String(headers['x-workspace-id'] ?? '');
  return {
    provider: 'wabotify',
    operation: operation ?? 'unknown',
    limitName: operation ?? 'unknown',
    bucket: `wabotify:${workspace}:${operation ?? 'unknown'}`,
    // No published limit: the emulator does not throttle Wabotify unless told to (--rate-limit).
    defaultLimit: undefined,
    redactedPath: path,
    handle(req, ctx) {
      if (!operation) return text(404, 'Not Found');
      const ws = authenticate(req, ctx.world);
      if ('status' in ws) return ws;
      if (operation === 'listContacts' && req.method === 'GET') return listContacts(ws, req);
      if (operation === 'deleteContactBatch' && req.method === 'POST') return deleteBatch(ws, req);
      return wrapped(404, 'NOT_FOUND', `Cannot ${req.method} ${path}`);
    },
  };
}

function wrapped(status: number, errorCode: string | null, message: string, data: unknown = null): EmuResponse {
  return json(status, { success: status < 400, code: status, errorCode, message, data });
}

function authenticate(req: EmuRequest, world: World): LiveWorkspace | EmuResponse {
  const workspaceId = req.headers['x-workspace-id'];
  const auth = req.headers['authorization'];
  const ws = typeof workspaceId === 'string' ? world.workspaces.get(workspaceId) : undefined;
  if (!ws || typeof auth !== 'string' || auth !== `Bearer ${ws.info.apiKey}`) {
    return wrapped(401, 'UNAUTHORIZED', 'Missing or invalid API key or workspace');
  }
  return ws;
}

function encodeToken(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  const m = /^seq:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

function listContacts(ws: LiveWorkspace, req: EmuRequest): EmuResponse {
  const workspaceId = req.query.get('workspaceId');
  if (!workspaceId) return wrapped(400, 'BAD_REQUEST', 'workspaceId is required');
  if (workspaceId !== ws.info.id) return wrapped(404, 'NOT_FOUND', `workspace ${workspaceId} not found`);
  const tokenText = req.query.get('continuationToken');
  const after = tokenText ? decodeToken(tokenText) : -1;
  if (after === undefined) return wrapped(400, 'BAD_REQUEST', 'invalid continuationToken');
  const size = ws.info.pageSize ?? DEFAULT_PAGE_SIZE;
  const page: { seq: number; contact: WabotifyContact }[] = [];
  let more = false;
  for (const entry of ws.contacts.values()) {
    if (entry.seq <= after) continue;
    if (page.length === size) {
      more = true;
      break;
    }
    page.push(entry);
  }
  const last = page.at(-1);
  return wrapped(200, null, 'OK', {
    workspaceId: ws.info.id,
    continuationToken: more && last ? encodeToken(last.seq) : null,
    data: page.map(({ contact: c }) => ({
      id: c.id,
      workspaceId: ws.info.id,
      name: c.name ?? '',
      lastname: c.lastname ?? '',
      email: c.email ?? '',
      platformSenderPhone: c.platformSenderPhone ?? '',
      platformSenderName: c.platformSenderName ?? '',
      platformId: c.platformId ?? 2,
      creationDate: c.creationDate ?? '2026-01-01T00:00:00.000Z',
      tags: c.tags ?? [],
    })),
  });
}

function deleteBatch(ws: LiveWorkspace, req: EmuRequest): EmuResponse {
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok || !isRecord(parsed.value)) return wrapped(400, 'BAD_REQUEST', 'body must be a JSON object');
  const { workspaceId, contactIds } = parsed.value;
  if (workspaceId !== ws.info.id) return wrapped(400, 'BAD_REQUEST', 'workspaceId must match x-workspace-id');
  if (!Array.isArray(contactIds) || contactIds.length === 0)
    return wrapped(400, 'BAD_REQUEST', 'contactIds must be a non-empty array');
  if (contactIds.length > MAX_BATCH) return wrapped(400, 'BAD_REQUEST', `at most ${MAX_BATCH} contactIds per batch`);
  const ids: string[] = [];
  for (const item of contactIds) {
    const id = isRecord(item) ? item['ids'] : undefined;
    if (typeof id !== 'string' || id === '')
      return wrapped(400, 'BAD_REQUEST', 'each contactIds item must be {"ids": "<contact id>"}');
    ids.push(id);
  }
  // Undocumented: whether one unknown id stops the whole batch. `batchOn404` picks the behaviour
  // (default all-or-nothing: nothing deleted); `delete-found` deletes the known ids and still answers 404.
  const missing = ids.filter((id) => !ws.contacts.has(id));
  if (missing.length > 0) {
    if (ws.info.batchOn404 === 'delete-found') for (const id of ids) ws.contacts.delete(id);
    return wrapped(404, 'NOT_FOUND', `contacts not found: ${missing.join(', ')}`);
  }
  for (const id of ids) ws.contacts.delete(id);
  // The documentation: 200 on success, "with or without a body depending on the implementation".
  if (ws.info.deleteBatchBody === 'empty') return text(200, '');
  return wrapped(200, null, `${ids.length} contacts deleted`);
}
