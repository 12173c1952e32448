import type { WabotifyAccountConfig } from '../../config/model.js';
import { errorFor, type HttpRequestSpec, type HttpResponse } from '../../http/client.js';
import { ProviderError } from '../../http/errors.js';
import type { Action, ActionOutcome } from '../../model/action.js';
import type { CollectionRef, ObservedCollection, ObservedItem } from '../../model/observed.js';
import { accountAddress, childAddress } from '../../shared/address.js';
import { perSecond } from '../../shared/token-bucket.js';
import { failedOutcome, outcomeOf } from '../outcome.js';
import { expectShape, limitFor, responseValidator } from '../response.js';
import type { Provider } from '../types.js';

/** No published limit: 5 requests/second unless the config says otherwise (providers.md). */
const DEFAULT_LIMIT = perSecond(5);
const MAX_BATCH = 100;
/** A workspace of a million contacts is 50,000 pages; more than this means a token loop. */
const MAX_PAGES = 1_000_000;

interface WabotifyContact {
  id: string;
  name?: string;
  lastname?: string;
  platformSenderPhone?: string;
}
const listPage = responseValidator<{
  success: boolean;
  data: { continuationToken: string | null; data: WabotifyContact[] };
}>({
  type: 'object',
  required: ['success', 'data'],
  properties: {
    success: { const: true },
    data: {
      type: 'object',
      required: ['continuationToken', 'data'],
      properties: {
        continuationToken: { type: ['string', 'null'] },
        data: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id'],
            properties: {
              id: { type: 'string', minLength: 1 },
              name: { type: 'string' },
              lastname: { type: 'string' },
              platformSenderPhone: { type: 'string' },
            },
          },
        },
      },
    },
  },
});
const wrapperOk = responseValidator<{ success: boolean }>({
  type: 'object',
  required: ['success'],
  properties: { success: { const: true } },
});

class WabotifyWire {
  readonly who: { provider: string; account: string };
  private readonly base: string;
  constructor(
    readonly account: WabotifyAccountConfig,
    private readonly deps: { http: import('../../http/client.js').HttpClient },
  ) {
    this.who = { provider: 'wabotify', account: accountAddress('wabotify', account.name) };
    this.base = account.apiUrl.replace(/\/+$/, '');
  }
  request(method: 'GET' | 'POST', path: string, operation: string, body?: unknown): HttpRequestSpec {
    return {
      method,
      url: `${this.base}${path}`,
      headers: { authorization: `Bearer ${this.account.apiKey.reveal()}`, 'x-workspace-id': this.account.workspaceId },
      ...(body !== undefined ? { body } : {}),
      operation,
      limitKey: `wabotify:${this.account.name}:${operation}`,
      limit: limitFor(this.account.rateLimits, operation, DEFAULT_LIMIT),
    };
  }
  async send(spec: HttpRequestSpec): Promise<HttpResponse> {
    return this.deps.http.send(spec, this.who);
  }
  listRequest(token: string | null): HttpRequestSpec {
    const q = new URLSearchParams({ workspaceId: this.account.workspaceId });
    if (token !== null) q.set('continuationToken', token);
    return this.request('GET', `/api/contact?${q.toString()}`, 'listContacts');
  }
  batchRequest(ids: readonly string[]): HttpRequestSpec {
    return this.request('POST', '/api/contact/delete-batch', 'deleteContactBatch', {
      workspaceId: this.account.workspaceId,
      contactIds: ids.map((id) => ({ ids: id })),
    });
  }
}

async function listContacts(wire: WabotifyWire): Promise<WabotifyContact[]> {
  const all: WabotifyContact[] = [];
  const seen = new Set<string>();
  let token: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await wire.send(wire.listRequest(token));
    if (res.status !== 200) throw errorFor(res, wire.account.apiKey.source);
    const body = expectShape(res, listPage);
    for (const c of body.data.data) all.push(c);
    token = body.data.continuationToken;
    if (token === null) return all;
    if (seen.has(token))
      throw new ProviderError(
        res.origin,
        res.status,
        'the continuationToken repeats',
        1,
        'the listing would never end; nothing was planned from it',
      );
    seen.add(token);
  }
  throw new Error(`${wire.who.account}: more than ${MAX_PAGES} pages of contacts`);
}

async function observe(wire: WabotifyWire, refs: readonly CollectionRef[]): Promise<ObservedCollection[]> {
  const parent = accountAddress('wabotify', wire.account.name);
  return Promise.all(
    refs.map(async (ref): Promise<ObservedCollection> => {
      try {
        const contacts = await listContacts(wire);
        const items = contacts.map(
          (c): ObservedItem => ({
            id: c.id,
            address: childAddress(parent, 'contact', c.id),
            name: [c.name, c.lastname].filter(Boolean).join(' '),
            facts: { kind: 'contact', ...(c.platformSenderPhone ? { phone: c.platformSenderPhone } : {}) },
          }),
        );
        return { ref, items, ownIds: [], notes: [] };
      } catch (error) {
        return { ref, items: [], ownIds: [], notes: [], error: error as Error };
      }
    }),
  );
}

/**
 * A 200 from delete-batch is success with or without a body (the documentation allows both); a body,
 * when present, must be the wrapper with `success: true`. The next observation confirms it.
 */
function batchSucceeded(res: HttpResponse): void {
  if (res.text.trim() === '') return;
  expectShape(res, wrapperOk);
}

/**
 * One batch; outcomes come back in the order of `actions`, matched by contact id (never by position).
 * Whether a 404 batch deleted the ids it knew is undocumented, so the client is right either way: it
 * re-lists, sends again only the ids still present, and calls the ones gone `already-absent` when the
 * re-list proves the batch deleted nothing (some ids are still there), or `done` (with the doubt said)
 * when everything is gone and the batch may have deleted them itself.
 */
async function executeBatch(wire: WabotifyWire, actions: readonly Action[]): Promise<ActionOutcome[]> {
  const byId = new Map<string, ActionOutcome>();
  try {
    await sendBatch(wire, actions, byId);
  } catch (err) {
    for (const a of actions) if (!byId.has(a.target.id)) byId.set(a.target.id, failedOutcome(a, err));
  }
  return actions.map((a) => byId.get(a.target.id) ?? failedOutcome(a, new Error('no outcome for this contact')));
}

async function sendBatch(
  wire: WabotifyWire,
  actions: readonly Action[],
  byId: Map<string, ActionOutcome>,
): Promise<void> {
  const res = await wire.send(wire.batchRequest(actions.map((a) => a.target.id)));
  if (res.status === 200) {
    batchSucceeded(res);
    for (const a of actions) byId.set(a.target.id, outcomeOf(a, 'done', res));
    return;
  }
  if (res.status !== 404) throw errorFor(res, wire.account.apiKey.source);
  const present = new Set((await listContacts(wire)).map((c) => c.id));
  const left = actions.filter((a) => present.has(a.target.id));
  const gone = actions.filter((a) => !present.has(a.target.id));
  if (gone.length === 0) throw errorFor(res, wire.account.apiKey.source);
  const deletedNothing = left.length > 0 || actions.length === 1;
  for (const a of gone) {
    byId.set(
      a.target.id,
      deletedNothing
        ? outcomeOf(a, 'already-absent', res)
        : outcomeOf(
            a,
            'done',
            res,
            'gone after the batch answered 404: deleted by this batch, or already absent before it',
          ),
    );
  }
  if (left.length > 0) await sendBatch(wire, left, byId);
}

export const wabotifyProvider: Provider<WabotifyAccountConfig> = {
  type: 'wabotify',
  connect(account, deps) {
    const wire = new WabotifyWire(account, deps);
    return {
      observe: (refs) => observe(wire, refs),
      requestsFor: (actions) => (actions.length > 0 ? [wire.batchRequest(actions.map((a) => a.target.id))] : []),
      execute: (actions) => executeBatch(wire, actions),
      maxBatch: (type) => (type === 'delete-contact' ? MAX_BATCH : 1),
    };
  },
};
