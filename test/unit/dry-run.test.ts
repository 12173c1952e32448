import { afterAll, describe, expect, it } from 'vitest';
import { dryRunLines } from '../../src/apply/dry-run.js';
import { HttpClient } from '../../src/http/client.js';
import type { Plan } from '../../src/model/plan.js';
import { connectAll } from '../../src/providers/registry.js';
import { renderDryRun } from '../../src/render/apply-report.js';
import { collection, message, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The dry run's lines (apply/dry-run.ts): built from the real sessions' `requestsFor`, so no request
 * is sent and no server is needed. Exact lines, in apply's order, with every secret redacted: the
 * GREEN-API token in the URL path, a password in an apiUrl, API keys (sent in headers, never shown).
 */

const SECRETS = {
  T1: 'tok1101000001secretAAAA',
  P: 'partnerSecretBBBB',
  W: 'wabotifyKeyCCCC',
  C: 'twoChatKeyDDDD',
  PW: 'urlPasswordEEEE',
};
const yaml = [
  'version: 1',
  'green-api:',
  '  main:',
  '    apiUrl: "https://admin:${PW}@green.example"',
  '    partner: { token: "${P}", instances: { remove: [1101000003] } }',
  '    instances:',
  '      1101000001:',
  '        token: "${T1}"',
  '        contacts: { remove: ["79000000001@c.us", "79000000002@c.us"] }',
  '        groups: { remove: ["120363000000000001@g.us"] }',
  'wabotify:',
  '  sales:',
  '    workspaceId: ws-1',
  '    apiKey: "${W}"',
  '    apiUrl: https://wabotify.example',
  '    contacts: { remove: [c-1, c-2, c-3] }',
  '2chat:',
  '  support:',
  '    apiKey: "${C}"',
  '    apiUrl: https://2chat.example/open',
  '    numbers: { remove: ["+52 155 3333 4444"] }',
  '    messages:',
  '      "+5215511112222": { olderThan: 24h, sentBy: [api] }',
  '',
].join('\n');

const I = 'green-api.main/instance.1101000001';
const desired = desiredFrom(yaml, SECRETS);
const observed = [
  collection(`${I}/contacts`, [['79000000001@c.us', 'Ann'], ['79000000002@c.us', 'Bob'], ['79000000003@c.us']]),
  collection(`${I}/groups`, [
    ['120363000000000001@g.us', 'Promo', { kind: 'group', admin: { isAdmin: false, lastAdmin: false } }],
  ]),
  collection('green-api.main/instances', [
    ['1101000001', 'main'],
    ['1101000003', 'old', { kind: 'instance', expired: false, state: 'authorized' }],
  ]),
  collection('wabotify.sales/contacts', [['c-1'], ['c-2'], ['c-3'], ['c-4']]),
  collection('2chat.support/numbers', [
    ['+5215511112222', 'main'],
    ['+5215533334444', 'old'],
  ]),
  collection('2chat.support/number.+5215511112222/messages', [['MSG1', '', message('2026-11-20T10:00:00', 'api')]]),
];
const http = new HttpClient({ now: () => 0, sleep: async () => undefined, random: () => 0.5 });
afterAll(() => http.close());
const made: Plan = plan(desired, observed, { allowMassDelete: true });

describe('dry-run lines', () => {
  const lines = dryRunLines(made.actions, connectAll(desired, http));

  it('one line per request, in apply order, method, redacted URL, body and what it is for', () => {
    expect(lines).toEqual([
      `POST https://***@green.example/waInstance1101000001/leaveGroup/*** {"groupId":"120363000000000001@g.us"}  # leave-group ${I}/group.120363000000000001@g.us`,
      `POST https://***@green.example/waInstance1101000001/deleteContact/*** {"chatId":"79000000001@c.us"}  # delete-contact ${I}/contact.79000000001@c.us`,
      `POST https://***@green.example/waInstance1101000001/deleteContact/*** {"chatId":"79000000002@c.us"}  # delete-contact ${I}/contact.79000000002@c.us`,
      // This session has not observed the partner listing, which gives the instance's host and token.
      'GET <host of instance 1101000003 from the partner listing>/waInstance1101000003/logout/***  # logout-instance green-api.main/instance.1101000003',
      'POST https://***@green.example/partner/deleteInstanceAccount/*** {"idInstance":1101000003}  # delete-instance green-api.main/instance.1101000003',
      'POST https://wabotify.example/api/contact/delete-batch {"workspaceId":"ws-1","contactIds":[{"ids":"c-1"},{"ids":"c-2"},{"ids":"c-3"}]}  # delete-contact 3 actions: wabotify.sales/contact.c-1 …',
      'DELETE https://2chat.example/open/whatsapp/message/WW-n-5215500000001%40c.us/MSG1  # delete-message 2chat.support/number.+5215511112222/message.MSG1',
      'DELETE https://2chat.example/open/whatsapp/channel/WPN-%2B5215533334444  # delete-number 2chat.support/number.+5215533334444',
    ]);
  });

  it('no secret in any line, in plain or URL-encoded form', () => {
    const text = lines.join('\n');
    for (const secret of Object.values(SECRETS)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
  });

  it('rendered as text with a count, or as JSON', () => {
    const text = renderDryRun(lines.slice(0, 1), 'text');
    expect(text).toBe(`Dry run: 1 request would be sent, in this order; nothing was sent.\n${lines[0]}\n`);
    expect(renderDryRun(lines, 'text').split('\n')[0]).toBe(
      'Dry run: 8 requests would be sent, in this order; nothing was sent.',
    );
    expect(JSON.parse(renderDryRun(lines, 'json'))).toEqual({ dryRun: true, requests: lines });
  });
});
