import { globToRegExp } from '../shared/glob.js';
import type { Entry } from './model.js';

/**
 * An entry whose `regex` is compiled the first time it is read: exact ids are matched by equality
 * (or an index), so a file of 100,000 exact ids builds no regular expression. `regex` is a getter on
 * the prototype (spreading or serialising an entry does not compile it).
 */
class LazyEntry {
  #regex: RegExp | undefined;
  declare readonly text: string;
  declare readonly field: 'id' | 'name';
  declare readonly pattern: string;
  declare readonly exact: boolean;
  declare readonly at: Entry['at'];
  declare readonly allowLastAdminLeave?: boolean;

  constructor(fields: Omit<Entry, 'regex'>) {
    Object.assign(this, fields);
  }

  get regex(): RegExp {
    if (this.#regex === undefined) this.#regex = globToRegExp(this.pattern);
    return this.#regex;
  }
}

export function makeEntry(fields: Omit<Entry, 'regex'>): Entry {
  return new LazyEntry(fields);
}
