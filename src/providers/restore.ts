import type { AccountConfig } from '../config/model.js';
import type { HttpClient } from '../http/client.js';
import type { ArchiveRecord } from '../model/archive.js';
import { twoChatRestorer } from './2chat/restore.js';
import { greenApiRestorer } from './green-api/restore.js';
import type { Restorer } from './restore-types.js';

/**
 * The restorer of an account, or undefined when its provider documents no way to re-create
 * anything (Wabotify: no create-contact endpoint is published).
 */
export function restorerFor(account: AccountConfig, http: HttpClient, concurrency: number): Restorer | undefined {
  if (account.provider === 'green-api') return greenApiRestorer(account, http, concurrency);
  if (account.provider === '2chat') return twoChatRestorer(account, http, concurrency);
  return undefined;
}

/** Why a record cannot come back, or undefined when restore can re-create it. */
export function whyIrreversible(record: ArchiveRecord): string | undefined {
  if (record.reversible && record.action === 'delete-contact') return undefined;
  switch (record.action) {
    case 'delete-contact':
      return `${record.provider} documents no endpoint to create a contact`;
    case 'leave-group':
      return 'a group cannot be re-joined through the API (only by an invite from its admins)';
    case 'delete-message':
      return 'a deleted message cannot be sent back as it was';
    case 'delete-instance':
    case 'logout-instance':
      return 'a deleted instance cannot be recovered (a new one needs a new QR code scan)';
    case 'delete-number':
      return 'a deleted number must be connected again by hand (QR code)';
  }
}

export type { RestoreOutcome, Restorer } from './restore-types.js';
