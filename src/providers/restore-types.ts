import type { HttpRequestSpec } from '../http/client.js';
import type { ArchiveRecord } from '../model/archive.js';

/** What re-creating one archived resource came to. */
export interface RestoreOutcome {
  readonly address: string;
  /** `restored`: created again; `already-present`: it exists (nothing sent, or the provider said so). */
  readonly outcome: 'restored' | 'already-present' | 'failed';
  readonly status?: number;
  /** Why it failed, or a note (a new provider id), redacted. */
  readonly detail?: string;
}

/**
 * Re-creates archived resources of one account, where the provider documents a create endpoint.
 * Knows wire formats only: what to restore is decided by the caller.
 */
export interface Restorer {
  /** Of `records`, the ones that exist now (asked from the provider; a failure to ask throws). */
  present(records: readonly ArchiveRecord[]): Promise<Set<string>>;
  /** The exact request `restore` would send (secrets included: redact before showing). */
  requestFor(record: ArchiveRecord): HttpRequestSpec;
  /** Sends it; never throws. */
  restore(record: ArchiveRecord): Promise<RestoreOutcome>;
}
