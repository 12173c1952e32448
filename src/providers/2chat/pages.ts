import type { HttpResponse } from '../../http/client.js';
import { ProviderError } from '../../http/errors.js';

/** A workspace of a million items at 50 a page is 20,000 pages; more means a server that never ends. */
const MAX_PAGES = 100_000;

export interface PageSpec<T> {
  /** What is being read, for errors ("numbers", "contacts", "messages of +52…"). */
  readonly what: string;
  readonly pageSize: number;
  /** Fetches page `n` (0-based) and returns its items and `count` when the answer has one. */
  fetch(page: number): Promise<{ res: HttpResponse; items: readonly T[]; count?: number }>;
  idOf(item: T): string;
  /**
   * `fail`: an id seen twice means the list moved under the reader, and items may have been
   * skipped: the collection fails. `collapse`: newest-first lists shift by the items that arrive
   * while they are read, which only repeats items; keep the first copy.
   */
  readonly duplicates: 'fail' | 'collapse';
  /** Stop before the end (message look-back). */
  done?(page: readonly T[]): boolean;
}

/**
 * Reads every page of a 2Chat list: until a page shorter than `pageSize`. `count` must agree with
 * the pages, read either way 2Chat's pages may mean it: the items of each page (as the official n8n
 * node reads it), or the size of the whole list, the same on every page. Anything else fails the
 * collection: never a shorter list.
 */
export async function readAllPages<T>(spec: PageSpec<T>): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let perPage = true;
  const totals = new Set<number>();
  let read = 0;
  let last: HttpResponse | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { res, items, count } = await spec.fetch(page);
    last = res;
    const fail = (why: string): never => {
      throw new ProviderError(
        res.origin,
        res.status,
        `${spec.what}: ${why}`,
        res.attempts,
        'the list changed or is inconsistent while it was read; nothing was planned from it. Run again',
      );
    };
    if (items.length > spec.pageSize)
      fail(`page ${page} has ${items.length} items, more than the ${spec.pageSize} asked for`);
    if (count !== undefined) {
      if (count !== items.length) perPage = false;
      totals.add(count);
    }
    read += items.length;
    let fresh = 0;
    for (const item of items) {
      const id = spec.idOf(item);
      if (seen.has(id)) {
        if (spec.duplicates === 'fail') fail(`${id} is listed twice (page ${page})`);
        continue;
      }
      seen.add(id);
      all.push(item);
      fresh++;
    }
    if (items.length > 0 && fresh === 0) fail(`page ${page} repeats items already read`);
    const short = items.length < spec.pageSize;
    if (short || spec.done?.(items)) {
      const total = totals.size === 1 ? [...totals][0]! : undefined;
      const totalAgrees = total !== undefined && (short ? total === read : total >= read);
      if (totals.size > 0 && !perPage && !totalAgrees)
        fail(`the pages disagree with count (${[...totals].join(', ')}) after ${read} items`);
      return all;
    }
  }
  throw new ProviderError(
    last!.origin,
    last!.status,
    `${spec.what}: more than ${MAX_PAGES} pages`,
    1,
    'the listing would never end; nothing was planned from it',
  );
}
