import { responseValidator } from '../response.js';

/** 2Chat response shapes (../shared/providers.md). Extra fields are allowed. */

export const infoResponse = responseValidator<{ limits: { requests_per_minute: number } }>({
  type: 'object',
  required: ['limits'],
  properties: { limits: { type: 'object', required: ['requests_per_minute'], properties: { requests_per_minute: { type: 'number', exclusiveMinimum: 0 } } } },
});

export interface TwoChatNumber {
  uuid: string;
  friendly_name?: string;
  phone_number: string;
  connection_status?: string;
}
export const numbersResponse = responseValidator<{ numbers: TwoChatNumber[] }>({
  type: 'object',
  required: ['success', 'numbers'],
  properties: {
    success: { const: true },
    numbers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['uuid', 'phone_number'],
        properties: { uuid: { type: 'string', minLength: 1 }, friendly_name: { type: 'string' }, phone_number: { type: 'string', pattern: '^\\+[0-9]{5,20}$' }, connection_status: { type: 'string' } },
      },
    },
  },
});

export interface TwoChatMessage {
  uuid: string;
  session_key: string;
  created_at: string;
  remote_phone_number: string;
  sent_by: 'api' | 'agent' | 'user';
}
export const messagesPage = responseValidator<{ messages: TwoChatMessage[] }>({
  type: 'object',
  required: ['success', 'messages'],
  properties: {
    success: { const: true },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['uuid', 'session_key', 'created_at', 'remote_phone_number', 'sent_by'],
        properties: {
          uuid: { type: 'string', minLength: 1 },
          session_key: { type: 'string', minLength: 1 },
          created_at: { type: 'string', format: 'date-time' },
          remote_phone_number: { type: 'string' },
          sent_by: { enum: ['api', 'agent', 'user'] },
        },
      },
    },
  },
});

export interface TwoChatContact {
  uuid: string;
  first_name?: string;
  last_name?: string;
  details?: { type: string; value: string }[];
}
export const contactsPage = responseValidator<{ contacts: TwoChatContact[] }>({
  type: 'object',
  required: ['success', 'contacts'],
  properties: {
    success: { const: true },
    contacts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['uuid'],
        properties: {
          uuid: { type: 'string', minLength: 1 },
          first_name: { type: 'string' },
          last_name: { type: 'string' },
          details: { type: 'array', items: { type: 'object', required: ['type', 'value'], properties: { type: { type: 'string' }, value: { type: 'string' } } } },
        },
      },
    },
  },
});

export const successBody = responseValidator<{ success: true }>({ type: 'object', required: ['success'], properties: { success: { const: true } } });
