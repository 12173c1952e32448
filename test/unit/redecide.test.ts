import { describe, expect, it } from 'vitest';
import { type Action, type ActionTarget, actionKey } from '../../src/model/action.js';
import type { ObservedCollection } from '../../src/model/observed.js';
import type { Plan } from '../../src/model/plan.js';
import { redecidePlan } from '../../src/plan/redecide.js';
import { collection, message, NOW, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The re-check of a saved plan (plan/redecide.ts), pure: a plan is made, then the plan file, the
 * config or the world changes, and redecidePlan says what apply may send. Every field that says
 * WHICH resource a request acts on is tampered with once.
 */

const I = 'green-api.main/instance.1101000001';
const N = '2chat.support/number.+5215511112222';
const LID = '123456789012345@lid';
const LATER = new Date(NOW.getTime() + 60_000);

const yaml = (keep = '[]', protect = '[]') =>
  [
    'version: 1',
    'green-api:',
    '  main:',
    '    apiUrl: http://127.0.0.1:9',
    '    instances:',
    '      1101000001:',
    '        token: "${T}"',
    `        contacts: { prune: true, keep: ${keep}, protect: ${protect}, safety: { maxDeletePercent: 100 } }`,
    '        groups: { remove: ["120363000000000001@g.us"] }',
    'wabotify:',
    '  sales:',
    '    workspaceId: ws-1',
    '    apiKey: "${W}"',
    '    apiUrl: http://127.0.0.1:9',
    '    contacts: { remove: [c-1] }',
    '2chat:',
    '  support:',
    '    apiKey: "${C}"',
    '    apiUrl: http://127.0.0.1:9',
    '    numbers: { remove: ["+52 155 3333 4444"] }',
    '    messages:',
    '      "+5215511112222": { olderThan: 24h, sentBy: [api] }',
    '',
  ].join('\n');
const desiredWith = (keep?: string, protect?: string) => desiredFrom(yaml(keep, protect), { T: 't', W: 'w', C: 'c' });

function world(
  over: { contacts?: [string, string][]; adminLost?: boolean; failContacts?: Error } = {},
): ObservedCollection[] {
  const contacts: [string, string, { kind: 'contact'; phone: string }?][] = (
    over.contacts ?? [
      ['79000000001@c.us', 'Ann'],
      ['79000000002@c.us', 'Bob'],
    ]
  ).map(([id, name]) => [id, name]);
  contacts.push([LID, 'Lee', { kind: 'contact', phone: '79000000009@c.us' }]);
  return [
    over.failContacts
      ? collection(`${I}/contacts`, [], { error: over.failContacts })
      : collection(`${I}/contacts`, contacts, { ownIds: ['79990000001@c.us'] }),
    collection(`${I}/groups`, [
      [
        '120363000000000001@g.us',
        'Promo',
        { kind: 'group', admin: { isAdmin: true, lastAdmin: over.adminLost === true } },
      ],
    ]),
    collection('wabotify.sales/contacts', [
      ['c-1', 'Test 1'],
      ['c-2', 'Keep'],
    ]),
    collection('2chat.support/numbers', [
      ['+5215511112222', 'main'],
      ['+5215533334444', 'old'],
    ]),
    collection(`${N}/messages`, [['MSG1', '', message('2026-11-20T10:00:00', 'api')]]),
  ];
}

const saved = (): Plan => plan(desiredWith(), world(), { allowMassDelete: true });
const find = (p: Plan, type: Action['type'], address: string): Action =>
  p.actions.find((a) => a.type === type && a.address === address)!;
/** The saved plan with one action's target edited by hand. */
function tamper(p: Plan, action: Action, target: Partial<ActionTarget>): Plan {
  return { ...p, actions: p.actions.map((a) => (a === action ? { ...a, target: { ...a.target, ...target } } : a)) };
}
const outcomeLines = (r: ReturnType<typeof redecidePlan>) =>
  [...r.known.entries()].map(([k, o]) => `${k} ${o.outcome}${o.stale ? ' stale' : ''}: ${o.detail}`);

describe('re-check of a saved plan (redecidePlan)', () => {
  it('unchanged: every action may be sent, nothing refused, no drift', () => {
    const p = saved();
    expect(p.actions.map((a) => `${a.type} ${a.address}`)).toEqual([
      `leave-group ${I}/group.120363000000000001@g.us`,
      `delete-contact ${I}/contact.${LID}`,
      `delete-contact ${I}/contact.79000000001@c.us`,
      `delete-contact ${I}/contact.79000000002@c.us`,
      'delete-contact wabotify.sales/contact.c-1',
      `delete-message ${N}/message.MSG1`,
      'delete-number 2chat.support/number.+5215533334444',
    ]);
    const r = redecidePlan(p, desiredWith(), world(), LATER);
    expect(r).toEqual({ known: new Map(), refused: [], drift: [] });
  });

  describe('an identity field of a target edited by hand', () => {
    const p = saved();
    const contact = find(p, 'delete-contact', `${I}/contact.79000000001@c.us`);
    const lid = find(p, 'delete-contact', `${I}/contact.${LID}`);
    const wabotify = find(p, 'delete-contact', 'wabotify.sales/contact.c-1');
    const number = find(p, 'delete-number', '2chat.support/number.+5215533334444');
    const msg = find(p, 'delete-message', `${N}/message.MSG1`);
    expect(lid.target.phoneChatId).toBe('79000000009@c.us');
    expect(msg.target.sessionKey).toBe('WW-n-5215500000001@c.us');
    expect(number.target.uuid).toBe('WPN-+5215533334444');

    // Contradicts the action's own address or collection: the whole plan is refused.
    it.each([
      [
        'id',
        contact,
        { id: '79000000002@c.us' },
        /its target id "79000000002@c.us" is at .*contact\.79000000002@c\.us/,
      ],
      ['instance', contact, { instance: '1101000002' }, /its target instance "1101000002" is not 1101000001/],
      [
        'phoneChatId on a phone contact',
        contact,
        { phoneChatId: '79000000005@c.us' },
        /only a contact listed by its LID/,
      ],
      [
        'number of a message',
        msg,
        { number: '+5215533334444' },
        /its target number "\+5215533334444" is not \+5215511112222/,
      ],
      ['number of a number', number, { number: '+5215511112222' }, /its target number "\+5215511112222" is not/],
      ['id of a message', msg, { id: 'MSG2' }, /its target id "MSG2" is at/],
    ])('%s → refused', (_field, action, edit, why) => {
      const r = redecidePlan(tamper(p, action, edit), desiredWith(), world(), LATER);
      expect(r.refused).toHaveLength(1);
      expect(r.refused[0]).toMatch(new RegExp(`^${action.type} ${action.address.replace(/[.+]/g, '\\$&')}: `));
      expect(r.refused[0]).toMatch(why);
    });

    // Consistent on its face, but not the resource a plan made now acts on: skipped as stale, never sent.
    it.each([
      ['phoneChatId of a LID contact', lid, { phoneChatId: '79000000005@c.us' }],
      ['sessionKey', msg, { sessionKey: 'WW-n-5215500000009@c.us' }],
      ['uuid', number, { uuid: 'WPN-other' }],
      ['workspaceId', wabotify, { workspaceId: 'ws-2' }],
    ])('%s → stale', (_field, action, edit) => {
      const r = redecidePlan(tamper(p, action, edit), desiredWith(), world(), LATER);
      expect(r.refused).toEqual([]);
      expect(outcomeLines(r)).toEqual([
        `${actionKey(action)} skipped stale: not sent: the resource at this address is not the one reviewed (it was re-created); run plan again`,
      ]);
    });

    it('a name is not identity: editing it changes nothing', () => {
      const r = redecidePlan(tamper(p, contact, { name: 'Someone else' }), desiredWith(), world(), LATER);
      expect(r).toEqual({ known: new Map(), refused: [], drift: [] });
    });
  });

  describe('stale: a plan made now decides otherwise', () => {
    it('the config now keeps one contact and protects another by name', () => {
      const r = redecidePlan(saved(), desiredWith('["79000000001@c.us"]', '[{name: Bob}]'), world(), LATER);
      expect(outcomeLines(r)).toEqual([
        `delete-contact:${I}/contact.79000000001@c.us skipped stale: not sent: a plan made now would not remove it: keep (keep: 79000000001@c.us)`,
        `delete-contact:${I}/contact.79000000002@c.us skipped stale: not sent: a plan made now would not remove it: protected (protect: {name: Bob})`,
      ]);
    });

    it('the contact became the own number; the group’s other admin lost rights', () => {
      const observed = world({ adminLost: true }).map((c) =>
        c.ref.address === `${I}/contacts` ? { ...c, ownIds: ['79000000002@c.us'] } : c,
      );
      const lines = outcomeLines(redecidePlan(saved(), desiredWith(), observed, LATER)).sort();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        new RegExp(
          `^delete-contact:${I}/contact\\.79000000002@c\\.us skipped stale: not sent: a plan made now would not remove it: protected \\(own`,
        ),
      );
      expect(lines[1]).toBe(
        `leave-group:${I}/group.120363000000000001@g.us skipped stale: not sent: the own number is now its last admin; a plan made now refuses to leave it`,
      );
    });

    it('gone since the plan → already-absent; a collection that cannot be re-read → failed, its error redacted', () => {
      const gone = redecidePlan(saved(), desiredWith(), world({ contacts: [['79000000002@c.us', 'Bob']] }), LATER);
      expect(outcomeLines(gone)).toEqual([
        `delete-contact:${I}/contact.79000000001@c.us already-absent: gone before apply`,
      ]);
      const failed = redecidePlan(
        saved(),
        desiredWith(),
        world({
          failContacts: new Error(
            'GET http://127.0.0.1:9/waInstance1101000001/getContacts/0123456789abcdef0123456789abcdef0123456789abcdef00 answered 500',
          ),
        }),
        LATER,
      );
      const lines = outcomeLines(failed);
      expect(lines).toHaveLength(3);
      expect(lines).toContain(
        `delete-contact:${I}/contact.79000000001@c.us failed: could not re-check it: GET http://127.0.0.1:9/waInstance1101000001/getContacts/*** answered 500`,
      );
      expect(lines.join('\n')).not.toContain('0123456789abcdef');
    });

    it('a new removal a plan made now would add is drift: reported, not acted on', () => {
      const r = redecidePlan(
        saved(),
        desiredWith(),
        world({
          contacts: [
            ['79000000001@c.us', 'Ann'],
            ['79000000002@c.us', 'Bob'],
            ['79000000003@c.us', 'New'],
          ],
        }),
        LATER,
      );
      expect(r.known.size).toBe(0);
      expect(r.drift).toEqual([`delete-contact ${I}/contact.79000000003@c.us (not kept (prune: true))`]);
    });
  });
});
