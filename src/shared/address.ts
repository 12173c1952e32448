/**
 * Addresses: stable, human-readable names of resources, used in plans, `--target`, the journal.
 * `green-api.main/instance.1101000001/contact.79876543210@c.us`, `wabotify.sales/contact.c-1`,
 * `2chat.support/number.+5215511112222/message.MSG…`.
 */
export const accountAddress = (provider: string, account: string): string => `${provider}.${account}`;

/**
 * `/` separates the segments of an address, so an id containing `/` (or `%`) is percent-encoded in
 * its segment: the Wabotify contact `c-1/evil` is `wabotify.sales/contact.c-1%2Fevil`, and
 * `--target wabotify.sales/contact.c-1` can never select it.
 */
const addressSegment = (id: string): string => id.replace(/%/g, '%25').replace(/\//g, '%2F');

export const childAddress = (parent: string, kind: string, id: string): string =>
  `${parent}/${kind}.${addressSegment(id)}`;

export const collectionAddress = (parent: string, collection: string): string => `${parent}/${collection}`;
