import type { TwoChatAccountConfig } from '../../config/model.js';
import { errorFor, type HttpClient, type HttpRequestSpec, type HttpResponse } from '../../http/client.js';
import { accountAddress, childAddress } from '../../shared/address.js';
import { perMinute, type RateLimit } from '../../shared/token-bucket.js';
import { mapLimit } from '../concurrency.js';
import { guarded, outcomeOf } from '../outcome.js';
import { expectShape, limitFor } from '../response.js';
import type { ObserveHooks, Provider, SessionDeps } from '../types.js';
import type { Action, ActionOutcome } from '../../model/action.js';
import type { CollectionRef, ObservedCollection, ObservedItem } from '../../model/observed.js';
import { contactsPage, infoResponse, messagesPage, numbersResponse, successBody, type TwoChatMessage } from './schemas.js';

const PAGE = 100;
const MAX_PAGES = 100_000;
/** 2Chat's "number busy, try again" statuses (providers.md), retried like 503. */
const BUSY = [409, 410, 486] as const;
const FALLBACK_RPM = 60;

/** 2Chat: one per-minute limit per account across all endpoints, learnt from `GET /open/info`. */
class TwoChatWire {
  readonly who: { provider: string; account: string };
  private readonly base: string;
  private limit: Promise<RateLimit | 'off'> | undefined;
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

  /** The account's limit: the config's override, else what `info` publishes, else 60/min. */
  private accountLimit(): Promise<RateLimit | 'off'> {
    const configured = limitFor(this.account.rateLimits, 'requests', 'off');
    if (configured !== 'off' || this.account.rateLimits['requests'] !== undefined) return Promise.resolve(configured);
    this.limit ??= (async () => {
      const res = await this.http.send(this.spec('GET', '/info', 'info', perMinute(FALLBACK_RPM)), this.who);
      if (res.status !== 200) throw errorFor(res, this.account.apiKey.source);
      return perMinute(expectShape(res, infoResponse).limits.requests_per_minute);
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

async function observeNumbers(wire: TwoChatWire): Promise<ObservedItem[]> {
  const body = expectShape(wire.ok(await wire.send('GET', '/whatsapp/get-numbers', 'get-numbers')), numbersResponse);
  const parent = accountAddress('2chat', wire.account.name);

  return body.numbers.map((n) => ({
    id: n.phone_number,
    address: childAddress(parent, 'number', n.phone_number),
    name: n.friendly_name ?? '',
    facts: { kind: 'number', uuid: n.uuid, phone: n.phone_number, status: n.connection_status ?? '' },
  }));
}

async function observeContacts(wire: TwoChatWire): Promise<ObservedItem[]> {
  const parent = accountAddress('2chat', wire.account.name);
  const items: ObservedItem[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = expectShape(wire.ok(await wire.send('GET', `/contacts?page_number=${page}&results_per_page=${PAGE}`, 'list-contacts')), contactsPage);
    for (const c of body.contacts) {
      const phone = c.details?.find((d) => d.type === 'WAPH' || d.type === 'PH')?.value;
      items.push({
        id: c.uuid,
        address: childAddress(parent, 'contact', c.uuid),
        name: [c.first_name, c.last_name].filter(Boolean).join(' '),
        facts: { kind: 'contact', ...(phone ? { phone } : {}) },
      });
    }
    if (body.contacts.length < PAGE) return items;
  }
  throw new Error(`${wire.who.account}: more than ${MAX_PAGES} pages of contacts`);
}

const isGroupMessage = (m: TwoChatMessage): boolean => m.session_key.endsWith('@g.us') || m.remote_phone_number.endsWith('@g.us');

async function observeMessages(wire: TwoChatWire, ref: CollectionRef, now: Date): Promise<ObservedItem[]> {
  const phone = ref.scope ?? '';
  const parent = childAddress(accountAddress('2chat', wire.account.name), 'number', phone);
  const horizon = ref.lookBackMs !== undefined ? now.getTime() - ref.lookBackMs : -Infinity;
  const items: ObservedItem[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = expectShape(wire.ok(await wire.send('GET', `/whatsapp/messages/${encodeURIComponent(phone)}?page_number=${page}`, 'list-messages')), messagesPage);
    for (const m of body.messages) {
      items.push({
        id: m.uuid,
        address: childAddress(parent, 'message', m.uuid),
        name: '',
        facts: { kind: 'message', uuid: m.uuid, sessionKey: m.session_key, remote: m.remote_phone_number, sentAt: m.created_at, sentBy: m.sent_by, group: isGroupMessage(m) },
      });
    }
    const oldest = body.messages.at(-1);
    // Newest first: once a page ends before the look-back horizon, older pages are out of scope.
    if (body.messages.length < PAGE || (oldest && Date.parse(oldest.created_at) < horizon)) return items;
  }
  throw new Error(`${wire.who.account}: more than ${MAX_PAGES} pages of messages for ${phone}`);
}

/** Contacts whose phone is one of the account's own numbers: never removed (design: the own number is protected). */
async function ownContactIds(wire: TwoChatWire, contacts: readonly ObservedItem[]): Promise<string[]> {
  const own = new Set((await observeNumbers(wire)).map((n) => n.id.replace(/\D/g, '')));
  return contacts.filter((c) => c.facts.kind === 'contact' && c.facts.phone !== undefined && own.has(c.facts.phone.replace(/\D/g, ''))).map((c) => c.id);
}

async function observe(wire: TwoChatWire, refs: readonly CollectionRef[], hooks: ObserveHooks, deps: SessionDeps): Promise<ObservedCollection[]> {
  return mapLimit(refs, deps.concurrency, async (ref): Promise<ObservedCollection> => {
    try {
      if (ref.kind === 'contacts') {
        const items = await observeContacts(wire);
        return { ref, items, ownIds: await ownContactIds(wire, items), notes: [] };
      }
      const items = ref.kind === 'numbers' ? await observeNumbers(wire) : await observeMessages(wire, ref, hooks.now);
      return { ref, items, ownIds: [], notes: [] };
    } catch (error) {
      return { ref, items: [], ownIds: [], notes: [], error: error as Error };
    }
  });
}

function pathFor(action: Action): { path: string; operation: string } {
  const t = action.target;
  switch (action.type) {
    case 'delete-number':
      return { path: `/whatsapp/channel/${encodeURIComponent(t.uuid ?? t.id)}`, operation: 'delete-channel' };
    case 'delete-message':
      return { path: `/whatsapp/message/${encodeURIComponent(t.sessionKey ?? '')}/${encodeURIComponent(t.id)}`, operation: 'delete-message' };
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
    if (action.expected === 'partial') return outcomeOf(action, 'partial', res, action.warnings[0] ?? '2Chat deleted its own copy only');
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
