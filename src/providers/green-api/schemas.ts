import { responseValidator } from '../response.js';

/** GREEN-API response shapes (docs/providers.md, from GREEN-API's published pages). Extra fields are allowed: the API grows. */

export interface GreenContact {
  id: string;
  name?: string;
  contactName?: string;
  type: string;
  /** Listed on the v3 GetContacts page beside the id. */
  phoneNumber?: number | string;
}
export const contactsResponse = responseValidator<GreenContact[]>({
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'type'],
    properties: {
      id: { type: 'string', minLength: 1 },
      name: { type: 'string' },
      contactName: { type: 'string' },
      type: { type: 'string' },
      phoneNumber: { type: ['integer', 'string'] },
    },
  },
});

/** GetContactInfo: `phoneNumber` (integer) is the contact's phone; absent when the service has none to give. */
export const contactInfoResponse = responseValidator<{ chatId?: string; phoneNumber?: number | string | null }>({
  type: 'object',
  properties: { chatId: { type: 'string' }, phoneNumber: { type: ['integer', 'string', 'null'] } },
});

export interface GreenChat {
  id: string;
  name?: string;
  type?: string;
}
export const chatsResponse = responseValidator<GreenChat[]>({
  type: 'array',
  items: {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', minLength: 1 }, name: { type: 'string' }, type: { type: 'string' } },
  },
});

export interface GreenGroupData {
  groupId: string;
  subject?: string;
  participants: { id: string; isAdmin?: boolean; isSuperAdmin?: boolean }[];
}
export const groupDataResponse = responseValidator<GreenGroupData>({
  type: 'object',
  required: ['groupId', 'participants'],
  properties: {
    groupId: { type: 'string' },
    subject: { type: 'string' },
    participants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, isAdmin: { type: 'boolean' }, isSuperAdmin: { type: 'boolean' } },
      },
    },
  },
});

export const stateResponse = responseValidator<{ stateInstance: string } | null>({
  anyOf: [
    { type: 'null' },
    { type: 'object', required: ['stateInstance'], properties: { stateInstance: { type: 'string' } } },
  ],
});

export const settingsResponse = responseValidator<{ wid: string }>({
  type: 'object',
  required: ['wid'],
  properties: { wid: { type: 'string' } },
});

export const waSettingsResponse = responseValidator<{ chatId?: string }>({
  type: 'object',
  properties: { chatId: { type: 'string' } },
});

export interface PartnerInstance {
  idInstance: number;
  name?: string;
  typeInstance?: string;
  apiTokenInstance: string;
  deleted: boolean;
  isExpired?: boolean;
  tariff?: string;
  /** Not in the GetInstances documentation; used when a listing carries it (the console shows it per instance). */
  apiUrl?: string;
}
export const instancesResponse = responseValidator<PartnerInstance[]>({
  type: 'array',
  items: {
    type: 'object',
    required: ['idInstance', 'apiTokenInstance', 'deleted'],
    properties: {
      idInstance: { type: 'integer' },
      name: { type: 'string' },
      typeInstance: { type: 'string' },
      apiTokenInstance: { type: 'string', minLength: 1 },
      deleted: { type: 'boolean' },
      isExpired: { type: 'boolean' },
      tariff: { type: 'string' },
      timeCreated: { type: 'string' },
      timeDeleted: { type: 'string' },
      apiUrl: { type: 'string', pattern: '^https?://[^\\s/?#]+' },
    },
  },
});

/** The partner API's error-in-a-200: `{code, description}`. */
export const partnerErrorBody = responseValidator<{ code: number; description?: string }>({
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'integer' }, description: { type: 'string' } },
});
