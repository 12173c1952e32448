import { describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../src/config/model.js';
import type { Action, ActionType } from '../../src/model/action.js';
import { connectAccount } from '../../src/providers/registry.js';
import { emulator, exampleState } from '../helpers/emulator.js';
import { EXAMPLE_NOW, exampleDesired, testClient } from '../helpers/world.js';

function act(
  provider: Action['provider'],
  account: string,
  type: ActionType,
  address: string,
  target: Action['target'],
  extra: Partial<Action> = {},
): Action {
  return {
    address,
    type,
    provider,
    account,
    collection: '',
    target,
    reason: 'test',
    warnings: [],
    dependsOn: [],
    ...extra,
  };
}

async function sessions(url: string) {
  const http = testClient();
  const desired = exampleDesired(url);
  const session = (provider: string) =>
    connectAccount(desired.accounts.find((a) => a.provider === provider) as AccountConfig, { http, concurrency: 4 });
  return { http, green: session('green-api'), wab: session('wabotify'), two: session('2chat') };
}

const G = 'green-api.main/instance.1101000001';

describe('execute: GREEN-API', () => {
  it('delete-contact: done, then already-absent', async () => {
    const emu = await emulator();
    const { http, green } = await sessions(emu.url);
    const a = act('green-api', 'main', 'delete-contact', `${G}/contact.79876543219@c.us`, {
      id: '79876543219@c.us',
      instance: '1101000001',
    });
    expect((await green.execute([a]))[0]).toMatchObject({ outcome: 'done', status: 200, attempts: 1 });
    expect((await green.execute([a]))[0]).toMatchObject({ outcome: 'already-absent', status: 404 });
    expect(emu.world().instances.get(1101000001)!.contacts.has('79876543219@c.us')).toBe(false);
    await http.close();
  });

  it('leave-group: done; partial when GREEN-API answers removeAdmin; already-absent after re-observing', async () => {
    const emu = await emulator();
    const { http, green } = await sessions(emu.url);
    const leave = (id: string) =>
      act('green-api', 'main', 'leave-group', `${G}/group.${id}`, { id, instance: '1101000001' });
    expect((await green.execute([leave('120363043968066563@g.us')]))[0]).toMatchObject({ outcome: 'done' });
    const partial = (await green.execute([leave('120363043968066562@g.us')]))[0]!;
    expect(partial.outcome).toBe('partial');
    expect(partial.detail).toMatch(/removeAdmin/);
    const before = emu.requests().length;
    expect((await green.execute([leave('120363043968066563@g.us')]))[0]).toMatchObject({
      outcome: 'already-absent',
      status: 200,
    });
    // {leaveGroup: false} was checked against getGroupData (the participants; getChats lags up to a minute) before calling it absent.
    const after = emu
      .requests()
      .slice(before)
      .map((r) => r.operation);
    expect(after[0]).toBe('leaveGroup');
    expect(after).toContain('getGroupData');
    expect(after).not.toContain('getChats');
    await http.close();
  });

  it('logout-instance and delete-instance through the partner, with the token learnt from its listing', async () => {
    const emu = await emulator();
    const { http, green } = await sessions(emu.url);
    await green.observe([{ address: 'green-api.main/instances', kind: 'instances' }], {
      now: EXAMPLE_NOW,
      mayRemove: () => new Set(),
    });
    const logout = act('green-api', 'main', 'logout-instance', 'green-api.main/instance.1101000003', {
      id: '1101000003',
    });
    const del = act('green-api', 'main', 'delete-instance', 'green-api.main/instance.1101000003', { id: '1101000003' });
    expect((await green.execute([logout]))[0]).toMatchObject({ outcome: 'done' });
    expect(emu.world().instances.get(1101000003)!.info.state).toBe('notAuthorized');
    expect((await green.execute([del]))[0]).toMatchObject({ outcome: 'done' });
    // The partner API says "already deleted" as HTTP 200 + {code: 404}.
    expect((await green.execute([del]))[0]).toMatchObject({ outcome: 'already-absent', status: 200 });
    expect((await green.execute([logout]))[0]).toMatchObject({ outcome: 'already-absent' });
    await http.close();
  });

  it('401 is an AuthError that names the account and the variable, never the token', async () => {
    const state = exampleState();
    state['green-api']!.instances![0]!.apiTokenInstance = 'rotated-token';
    const emu = await emulator({ state });
    const { http, green } = await sessions(emu.url);
    const [o] = await green.execute([
      act('green-api', 'main', 'delete-contact', `${G}/contact.79876543219@c.us`, {
        id: '79876543219@c.us',
        instance: '1101000001',
      }),
    ]);
    expect(o!.outcome).toBe('failed');
    // An AuthError: its hint names the variable that holds the credential.
    expect(o!.detail).toContain('check GREEN_API_TOKEN_1101000001 for account green-api.main');
    expect(o!.status).toBe(401);
    expect(o!.detail).toContain('green-api.main');
    expect(o!.detail).toContain('GREEN_API_TOKEN_1101000001');
    expect(o!.detail).toContain('/waInstance1101000001/deleteContact/***');
    expect(o!.detail).not.toContain('tok-1101000001');
    await http.close();
  });

  it('describes the exact request, token redacted once shown', async () => {
    const emu = await emulator();
    const { http, green } = await sessions(emu.url);
    const [spec] = green.requestsFor([
      act('green-api', 'main', 'delete-contact', `${G}/contact.1@c.us`, {
        id: '79876543219@c.us',
        instance: '1101000001',
      }),
    ]);
    expect(spec).toMatchObject({
      method: 'POST',
      url: `${emu.url}/waInstance1101000001/deleteContact/tok-1101000001`,
      body: { chatId: '79876543219@c.us' },
    });
    const { redactRequest } = await import('../../src/http/client.js');
    expect(redactRequest(spec!)).toEqual({
      method: 'POST',
      url: `${emu.url}/waInstance1101000001/deleteContact/***`,
      body: { chatId: '79876543219@c.us' },
    });
    await http.close();
  });
});

describe('execute: Wabotify', () => {
  it('deletes in batches; a 404 batch is re-observed: gone ids already-absent, the rest sent again', async () => {
    const emu = await emulator();
    const { http, wab } = await sessions(emu.url);
    const del = (id: string) => act('wabotify', 'sales', 'delete-contact', `wabotify.sales/contact.${id}`, { id });
    expect(wab.maxBatch('delete-contact')).toBe(100);
    expect((await wab.execute([del('c-8')])).map((o) => o.outcome)).toEqual(['done']);
    const outcomes = await wab.execute([del('c-8'), del('c-9')]);
    expect(Object.fromEntries(outcomes.map((o) => [o.address, o.outcome]))).toEqual({
      'wabotify.sales/contact.c-8': 'already-absent',
      'wabotify.sales/contact.c-9': 'done',
    });
    expect(emu.world().workspaces.get('ws-1')!.contacts.size).toBe(13);
    expect(wab.requestsFor([del('c-1'), del('c-2')])).toMatchObject([
      { method: 'POST', body: { workspaceId: 'ws-1', contactIds: [{ ids: 'c-1' }, { ids: 'c-2' }] } },
    ]);
    await http.close();
  });
});

describe('execute: 2Chat', () => {
  it('delete-message: done, partial when the plan expects WhatsApp to keep it, already-absent on 404', async () => {
    const emu = await emulator();
    const { http, two } = await sessions(emu.url);
    const msg = (uuid: string, sessionKey: string, extra: Partial<Action> = {}) =>
      act(
        '2chat',
        'support',
        'delete-message',
        `2chat.support/number.+5215511112222/message.${uuid}`,
        { id: uuid, number: '+5215511112222', sessionKey },
        extra,
      );
    const young = msg(
      'MSG205dec10-523d-4ab3-b739-fd56e7cdeba2',
      'WW-WPN66037eca-9ad1-4c96-9eff-526a90a48c77-5215500000001@c.us',
    );
    const old = msg(
      'MSG1a2b3c4d-0000-4000-8000-000000000001',
      'WW-WPN66037eca-9ad1-4c96-9eff-526a90a48c77-5215500000003@c.us',
      { expected: 'partial', warnings: ['older than 60 hours'] },
    );
    expect((await two.execute([young]))[0]).toMatchObject({ outcome: 'done' });
    expect((await two.execute([old]))[0]).toMatchObject({ outcome: 'partial', detail: 'older than 60 hours' });
    expect((await two.execute([young]))[0]).toMatchObject({ outcome: 'already-absent', status: 404 });
    const number = [...emu.world().twoChat.get('UAK-1')!.numbers.values()][0]!;
    expect(number.retainedOnWhatsApp).toEqual(['MSG1a2b3c4d-0000-4000-8000-000000000001']);
    await http.close();
  });

  it('delete-number and delete-contact: done, then already-absent', async () => {
    const emu = await emulator();
    const { http, two } = await sessions(emu.url);
    const num = act('2chat', 'support', 'delete-number', '2chat.support/number.+5215533334444', {
      id: '+5215533334444',
      number: '+5215533334444',
      uuid: 'WPN77148fdb-0be2-4d07-8ff0-637b01b59d88',
    });
    const con = act('2chat', 'support', 'delete-contact', '2chat.support/contact.CON5dbf28a9-0005', {
      id: 'CON5dbf28a9-0005',
    });
    expect((await two.execute([num, con])).map((o) => o.outcome)).toEqual(['done', 'done']);
    expect((await two.execute([num, con])).map((o) => o.outcome)).toEqual(['already-absent', 'already-absent']);
    expect(two.requestsFor([num])[0]).toMatchObject({
      method: 'DELETE',
      url: `${emu.url}/open/whatsapp/channel/WPN77148fdb-0be2-4d07-8ff0-637b01b59d88`,
    });
    await http.close();
  });
});
