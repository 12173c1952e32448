import { responseValidator } from '../response.js';

/** 2Chat response shapes (docs/providers.md, "2Chat"). Extra fields are allowed. */

const time = { type: 'string', minLength: 1 };
const count = { type: 'integer', minimum: 0 };
const uuid = { type: 'string', minLength: 1 };

/** One page of a 2Chat list: `{success: true, count?, <key>: [item…]}`. */
const pageOf = (key: string, item: object): object => ({
  type: 'object',
  required: ['success', key],
  properties: { success: { const: true }, count, [key]: { type: 'array', items: item } },
});

export const infoResponse = responseValidator<{
  account?: { on_trial?: boolean };
  limits: { requests_per_minute: number };
}>({
  type: 'object',
  required: ['limits'],
  properties: {
    account: { type: 'object', properties: { on_trial: { type: 'boolean' } } },
    limits: {
      type: 'object',
      required: ['requests_per_minute'],
      properties: { requests_per_minute: { type: 'number', exclusiveMinimum: 0 } },
    },
  },
});

export interface TwoChatNumber {
  uuid: string;
  friendly_name?: string;
  phone_number: string;
  connection_status?: string;
  channel_type?: string;
}
export const numbersPage = responseValidator<{ count?: number; numbers: TwoChatNumber[] }>(
  pageOf('numbers', {
    type: 'object',
    required: ['uuid', 'phone_number'],
    properties: {
      uuid,
      friendly_name: { type: 'string' },
      phone_number: { type: 'string', pattern: '^\\+[0-9]{5,20}$' },
      connection_status: { type: 'string' },
      // WW = WhatsApp Web, IG = Instagram, SMS ("List WhatsApp Numbers"); other values are kept as given.
      channel_type: { type: 'string' },
      created_at: time,
    },
  }),
);

export type SentBy = 'api' | 'agent' | 'user';
export interface TwoChatMessage {
  uuid: string;
  session_key: string;
  created_at: string;
  remote_phone_number: string;
  sent_by: SentBy;
}
export const messagesPage = responseValidator<{ count?: number; messages: TwoChatMessage[] }>(
  pageOf('messages', {
    type: 'object',
    required: ['uuid', 'session_key', 'created_at', 'remote_phone_number', 'sent_by'],
    properties: {
      uuid,
      session_key: { type: 'string', minLength: 1 },
      created_at: time,
      remote_phone_number: { type: 'string' },
      sent_by: { enum: ['api', 'agent', 'user'] },
    },
  }),
);

export interface TwoChatGroup {
  uuid: string;
  wa_group_id: string;
}
export const groupsPage = responseValidator<{ count?: number; data: TwoChatGroup[] }>(
  pageOf('data', {
    type: 'object',
    required: ['uuid', 'wa_group_id'],
    properties: { uuid, wa_group_id: { type: 'string', minLength: 1 } },
  }),
);

export interface TwoChatParticipant {
  phone_number?: string | null;
  wa_participant_id?: string | null;
  wa_is_admin?: boolean;
  wa_is_super_admin?: boolean;
}
export const groupDetail = responseValidator<{ data: { participants: TwoChatParticipant[] } }>({
  type: 'object',
  required: ['success', 'data'],
  properties: {
    success: { const: true },
    data: {
      type: 'object',
      required: ['participants'],
      properties: {
        participants: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              phone_number: { type: ['string', 'null'] },
              wa_participant_id: { type: ['string', 'null'] },
              wa_is_admin: { type: 'boolean' },
              wa_is_super_admin: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
});

export interface TwoChatGroupMessage {
  uuid: string;
  session_key: string;
  created_at: string;
  sent_by?: SentBy;
  participant?: { phone_number?: string | null } | null;
}
export const groupMessagesPage = responseValidator<{ count?: number; messages: TwoChatGroupMessage[] }>(
  pageOf('messages', {
    type: 'object',
    required: ['uuid', 'session_key', 'created_at'],
    properties: {
      uuid,
      session_key: { type: 'string', minLength: 1 },
      created_at: time,
      sent_by: { enum: ['api', 'agent', 'user'] },
      participant: { type: ['object', 'null'], properties: { phone_number: { type: ['string', 'null'] } } },
    },
  }),
);

export interface TwoChatContact {
  uuid: string;
  first_name?: string;
  last_name?: string;
  details?: { type: string; value: string }[];
}
export const contactsPage = responseValidator<{ count?: number; contacts: TwoChatContact[] }>(
  pageOf('contacts', {
    type: 'object',
    required: ['uuid'],
    properties: {
      uuid,
      first_name: { type: 'string' },
      last_name: { type: 'string' },
      details: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type', 'value'],
          properties: { type: { type: 'string' }, value: { type: 'string' } },
        },
      },
    },
  }),
);

export const successBody = responseValidator<{ success: true }>({
  type: 'object',
  required: ['success'],
  properties: { success: { const: true } },
});
