import { describe, expect, it } from 'vitest';
import { ResponseShapeError } from '../../src/http/errors.js';
import { emulator, exampleState } from '../helpers/emulator.js';
import { byAddress, desiredFrom, exampleDesired, observeAll, testClient } from '../helpers/world.js';

const ids = (c: { items: readonly { id: string }[] } | undefined) => c?.items.map((i) => i.id).sort();

describe('observe the example world', () => {
  it('reads every managed collection exactly, with the facts the planner needs', async () => {
    const emu = await emulator();
    const http = testClient();
    const got = byAddress(await observeAll(exampleDesired(emu.url), http));
    await http.close();
    expect([...got.keys()].sort()).toEqual([
      '2chat.support/contacts',
      '2chat.support/number.+5215511112222/messages',
      '2chat.support/numbers',
      'green-api.main/instance.1101000001/contacts',
      'green-api.main/instance.1101000001/groups',
      'green-api.main/instances',
      'wabotify.sales/contacts',
    ]);
    for (const c of got.values()) expect(c.error).toBeUndefined();

    const instances = got.get('green-api.main/instances')!;
    expect(instances.items.map((i) => [i.id, i.name, i.facts])).toEqual([
      ['1101000001', 'main', { kind: 'instance', expired: false }],
      ['1101000002', 'reserve', { kind: 'instance', expired: false }],
      // Only the instance the plan may delete has its state read (it decides the logout).
      ['1101000003', 'old-campaign', { kind: 'instance', expired: false, state: 'authorized' }],
    ]);

    const contacts = got.get('green-api.main/instance.1101000001/contacts')!;
    expect(contacts.items).toHaveLength(14);
    expect(contacts.ownIds).toEqual(['79990000001@c.us']);
    expect(contacts.items.find((i) => i.id === '79876543210@c.us')).toEqual({
      id: '79876543210@c.us',
      address: 'green-api.main/instance.1101000001/contact.79876543210@c.us',
      name: 'Alice',
      facts: { kind: 'contact', contactName: 'Alice Work' },
    });
    expect(contacts.items.map((i) => i.id)).toContain('123456789012345@lid');

    const groups = got.get('green-api.main/instance.1101000001/groups')!;
    expect(ids(groups)).toEqual([
      '11001234567-1587570015@g.us',
      '120363043968066561@g.us',
      '120363043968066562@g.us',
      '120363043968066563@g.us',
      '120363043968066564@g.us',
    ]);
    // Admin rights only for the two groups the file removes: getGroupData is 1 request/second.
    const admin = Object.fromEntries(groups.items.map((g) => [g.id, g.facts.kind === 'group' ? g.facts.admin : 'x']));
    expect(admin).toEqual({
      '120363043968066561@g.us': undefined,
      '11001234567-1587570015@g.us': { isAdmin: false, lastAdmin: false },
      '120363043968066562@g.us': undefined,
      '120363043968066563@g.us': { isAdmin: false, lastAdmin: false },
      '120363043968066564@g.us': undefined,
    });
    expect(emu.requests().filter((r) => r.operation === 'getGroupData')).toHaveLength(2);

    const wab = got.get('wabotify.sales/contacts')!;
    expect(ids(wab)).toEqual(Array.from({ length: 15 }, (_, i) => `c-${i + 1}`).sort());
    expect(wab.items.find((i) => i.id === 'c-8')?.name).toBe('Test Contact');

    expect(got.get('2chat.support/numbers')!.items.map((i) => i.facts)).toEqual([
      { kind: 'number', uuid: 'WPN66037eca-9ad1-4c96-9eff-526a90a48c77', phone: '+5215511112222', status: 'C' },
      { kind: 'number', uuid: 'WPN77148fdb-0be2-4d07-8ff0-637b01b59d88', phone: '+5215533334444', status: 'D' },
    ]);
    expect(got.get('2chat.support/contacts')!.items.map((i) => i.name)).toEqual([
      'Augusto Gonzalez',
      'Augusto Ramirez',
      'Beatriz Silva',
      'Carlos Mendez',
      'Test Contact',
    ]);
    const messages = got.get('2chat.support/number.+5215511112222/messages')!;
    expect(messages.items).toHaveLength(9);
    expect(messages.items.find((m) => m.id === 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba5')?.facts).toEqual({
      kind: 'message',
      uuid: 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba5',
      sessionKey: 'WW-WPN66037eca-9ad1-4c96-9eff-526a90a48c77-120363099999999991@g.us',
      remote: '120363099999999991@g.us',
      sentAt: '2026-11-25T09:00:00Z',
      sentBy: 'user',
      group: true,
    });
  });

  it("protects a 2Chat contact whose phone is one of the account's own numbers", async () => {
    const state = exampleState();
    state['2chat']!.accounts![0]!.contacts!.push({
      uuid: 'CON-own',
      first_name: 'Support',
      last_name: 'Line',
      phone: '+52 155 1111 2222',
    });
    const emu = await emulator({ state });
    const http = testClient();
    const got = byAddress(await observeAll(exampleDesired(emu.url), http));
    await http.close();
    expect(got.get('2chat.support/contacts')!.ownIds).toEqual(['CON-own']);
  });

  it('fetches only the collections the file manages', async () => {
    const emu = await emulator();
    const http = testClient();
    const desired = desiredFrom(
      `version: 1\nwabotify:\n  w:\n    workspaceId: ws-1\n    apiKey: \${K}\n    apiUrl: ${emu.url}\n    contacts: { remove: [c-1] }\n`,
      { K: 'wab-key-1' },
    );
    await observeAll(desired, http);
    await http.close();
    expect(new Set(emu.requests().map((r) => r.provider))).toEqual(new Set(['wabotify']));
  });

  it('follows Wabotify pagination and 2Chat pages to the end', async () => {
    const state = exampleState();
    state.wabotify!.workspaces![0]!.pageSize = 4;
    const emu = await emulator({ state });
    const http = testClient();
    const got = byAddress(await observeAll(exampleDesired(emu.url), http));
    await http.close();
    expect(got.get('wabotify.sales/contacts')!.items).toHaveLength(15);
    expect(emu.requests().filter((r) => r.operation === 'listContacts')).toHaveLength(4);
  });

  it('asks GREEN-API again when getContacts answers a transient empty list', async () => {
    const state = exampleState();
    state['green-api']!.instances![0]!.transientEmptyLists = 1;
    const emu = await emulator({ state });
    const http = testClient();
    const got = byAddress(await observeAll(exampleDesired(emu.url), http));
    await http.close();
    expect(got.get('green-api.main/instance.1101000001/contacts')!.items).toHaveLength(14);
  });

  it('turns a failed or malformed listing into an error for that collection, never an empty list', async () => {
    const emu = await emulator();
    const http = testClient();
    // A wrong token fails GREEN-API instance reads; the partner token is fine.
    const desired = exampleDesired(emu.url);
    const env = {
      GREEN_API_URL: emu.url,
      GREEN_API_PARTNER_TOKEN: 'gac.partner-1',
      GREEN_API_TOKEN_1101000001: 'wrong-token',
      WABOTIFY_API_KEY: 'nope',
      WABOTIFY_URL: emu.url,
      TWOCHAT_API_KEY: 'UAK-1',
      TWOCHAT_URL: `${emu.url}/open`,
    };
    const bad = desiredFrom((await import('node:fs')).readFileSync(desired.file, 'utf8'), env);
    const got = byAddress(await observeAll(bad, http));
    await http.close();
    const contacts = got.get('green-api.main/instance.1101000001/contacts')!;
    expect(contacts.items).toEqual([]);
    expect(contacts.error?.name).toBe('AuthError');
    expect(contacts.error?.message).toContain('GREEN_API_TOKEN_1101000001');
    expect(got.get('wabotify.sales/contacts')!.error?.name).toBe('AuthError');
    expect(got.get('green-api.main/instances')!.error).toBeUndefined();
  });

  it('treats a partner 200 carrying {code: 401} as an AuthError', async () => {
    const emu = await emulator();
    const http = testClient();
    const desired = desiredFrom(
      `version: 1\ngreen-api:\n  g:\n    apiUrl: ${emu.url}\n    partner:\n      token: \${P}\n      instances: { prune: false, remove: [1101000003] }\n`,
      { P: 'not-a-partner' },
    );
    const [c] = await observeAll(desired, http);
    await http.close();
    expect(c!.error?.name).toBe('AuthError');
    expect(c!.error?.message).toMatch(/code 401/);
    expect(c!.error?.message).not.toContain('not-a-partner');
  });
});

describe('response validation', () => {
  it('a body of the wrong shape is a ResponseShapeError', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ success: true, data: { continuationToken: null, data: [{ name: 'no id' }] } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const http = testClient();
    try {
      const desired = desiredFrom(
        `version: 1\nwabotify:\n  w:\n    workspaceId: ws-1\n    apiKey: \${K}\n    apiUrl: http://127.0.0.1:${port}\n    contacts: { prune: true, keep: [c-1] }\n`,
        { K: 'wab-key-1' },
      );
      const [c] = await observeAll(desired, http);
      expect(c!.error).toBeInstanceOf(ResponseShapeError);
      expect(c!.error?.message).toMatch(/must have required property 'id'/);
      expect(c!.items).toEqual([]);
    } finally {
      await http.close();
      await new Promise((r) => server.close(r));
    }
  });
});
