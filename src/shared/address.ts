/**
 * Addresses: stable, human-readable names of resources, used in plans, `--target`, the journal.
 * `green-api.main/instance.1101000001/contact.79876543210@c.us`, `wabotify.sales/contact.c-1`,
 * `2chat.support/number.+5215511112222/message.MSG…`.
 */
export const accountAddress = (provider: string, account: string): string => `${provider}.${account}`;

export const childAddress = (parent: string, kind: string, id: string): string => `${parent}/${kind}.${id}`;

export const collectionAddress = (parent: string, collection: string): string => `${parent}/${collection}`;
