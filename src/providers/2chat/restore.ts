import type { TwoChatAccountConfig } from '../../config/model.js';
import { describeBody, type HttpClient, type HttpRequestSpec } from '../../http/client.js';
import { accountAddress, collectionAddress } from '../../shared/address.js';
import { redact } from '../../shared/redact.js';
import { perMinute } from '../../shared/token-bucket.js';
import { limitFor } from '../response.js';
import type { RestoreOutcome, Restorer } from '../restore-types.js';
import { twoChatProvider } from './index.js';

const digits = (phone: string | undefined): string => (phone ?? '').replace(/\D/g, '');

/**
 * 2Chat contacts come back through `POST /open/contacts` (developers.2chat.co, Contacts → create
 * contact): `first_name`, `last_name`, `contact_detail: [{type, value}]`. 2Chat gives the new contact
 * a new uuid; a contact counts as already present when one with the same phone exists.
 */
export function twoChatRestorer(account: TwoChatAccountConfig, http: HttpClient, concurrency: number): Restorer {
  const who = { provider: '2chat', account: accountAddress('2chat', account.name) };
  const base = account.apiUrl.replace(/\/+$/, '');
  let phones = new Set<string>();
  return {
    async present(records) {
      const session = twoChatProvider.connect(account, { http, concurrency });
      const address = collectionAddress(accountAddress('2chat', account.name), 'contacts');
      const [observed] = await session.observe([{ address, kind: 'contacts' }], {
        now: new Date(),
        mayRemove: () => new Set(),
      });
      if (!observed || observed.error)
        throw observed?.error ?? new Error(`${who.account}: contacts could not be listed`);
      phones = new Set(
        observed.items.map((i) => (i.facts.kind === 'contact' ? digits(i.facts.phone) : '')).filter((p) => p !== ''),
      );
      return new Set(
        records
          .filter(
            (r) => observed.items.some((i) => i.id === r.id) || (digits(r.phone) !== '' && phones.has(digits(r.phone))),
          )
          .map((r) => r.address),
      );
    },
    requestFor(record): HttpRequestSpec {
      return {
        method: 'POST',
        url: `${base}/contacts`,
        headers: { 'x-user-api-key': account.apiKey.reveal() },
        body: {
          first_name: record.firstName ?? record.name ?? '',
          last_name: record.lastName ?? '',
          contact_detail: record.phone ? [{ type: 'WAPH', value: record.phone }] : [],
        },
        operation: 'create-contact',
        limitKey: `2chat:${account.name}`,
        limit: limitFor(account.rateLimits, 'requests', perMinute(60)),
        extraTransientStatuses: [409, 410, 486],
      };
    },
    async restore(record): Promise<RestoreOutcome> {
      try {
        const res = await http.send(this.requestFor(record), who);
        const body = res.json as { success?: unknown; uuid?: unknown; contact?: { uuid?: unknown } } | undefined;
        if (res.status >= 200 && res.status < 300 && body?.success === true) {
          const uuid =
            typeof body.uuid === 'string'
              ? body.uuid
              : typeof body.contact?.uuid === 'string'
                ? body.contact.uuid
                : undefined;
          return {
            address: record.address,
            outcome: 'restored',
            status: res.status,
            ...(uuid ? { detail: `re-created as ${uuid} (2Chat gives a new uuid)` } : {}),
          };
        }
        return {
          address: record.address,
          outcome: 'failed',
          status: res.status,
          detail: `create contact answered ${res.status}: ${describeBody(res.text)}`,
        };
      } catch (err) {
        return {
          address: record.address,
          outcome: 'failed',
          detail: redact(err instanceof Error ? err.message : String(err)),
        };
      }
    },
  };
}
