import type { GreenApiAccountConfig } from '../../config/model.js';
import { describeBody, type HttpClient, type HttpRequestSpec } from '../../http/client.js';
import type { ArchiveRecord } from '../../model/archive.js';
import type { CollectionRef } from '../../model/observed.js';
import { redact } from '../../shared/redact.js';
import type { RestoreOutcome, Restorer } from '../restore-types.js';
import { observeGreenApi } from './observe.js';
import { GreenWire } from './wire.js';

const instanceOf = (r: ArchiveRecord): string => r.instance ?? '';

/** `addContact` (green-api.com/docs/api/contacts/AddContact): `chatId`, `firstName` (required), `lastName`. */
function addContactBody(r: ArchiveRecord): { chatId: string; firstName: string; lastName?: string } {
  const first = r.firstName ?? r.name ?? '';
  // firstName is required: a contact archived without a name gets its number, as WhatsApp shows it.
  return {
    chatId: r.id,
    firstName: first !== '' ? first : r.id.replace(/@.*$/, ''),
    ...(r.lastName ? { lastName: r.lastName } : {}),
  };
}

/** GREEN-API contacts come back through the documented `addContact` of their instance. */
export function greenApiRestorer(account: GreenApiAccountConfig, http: HttpClient, concurrency: number): Restorer {
  const wire = new GreenWire(account, http);
  return {
    async present(records) {
      const refs = [...new Set(records.map((r) => r.collection))].map((address): CollectionRef => {
        const record = records.find((r) => r.collection === address)!;
        return { address, kind: 'contacts', scope: instanceOf(record) };
      });
      // Observing learns instance tokens from the partner listing when the config names none.
      const observed = await observeGreenApi(wire, refs, { now: new Date(), mayRemove: () => new Set() }, concurrency);
      const failed = observed.find((c) => c.error);
      if (failed?.error) throw failed.error;
      return new Set(observed.flatMap((c) => c.items.map((i) => i.address)));
    },
    requestFor(record): HttpRequestSpec {
      return wire.instanceRequest(instanceOf(record), 'addContact', 'POST', addContactBody(record));
    },
    async restore(record): Promise<RestoreOutcome> {
      try {
        const res = await wire.send(this.requestFor(record));
        const message = describeBody(res.text);
        if (res.status === 200 && (res.json as { addContact?: unknown } | undefined)?.addContact === true)
          return { address: record.address, outcome: 'restored', status: 200 };
        if (res.status === 400 && /already exists/i.test(message))
          return { address: record.address, outcome: 'already-present', status: 400, detail: message };
        return {
          address: record.address,
          outcome: 'failed',
          status: res.status,
          detail: `addContact answered ${res.status}${message ? `: ${message}` : ''}`,
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
