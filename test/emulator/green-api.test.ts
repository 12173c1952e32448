import { describe, expect, it } from 'vitest';
import { call, emulator } from '../helpers/emulator.js';

const I1 = '/waInstance1101000001';
const T1 = 'tok-1101000001';
const get = (base: string, method: string, query = '') => call(base, 'GET', `${I1}/${method}/${T1}${query}`);
const post = (base: string, method: string, body: unknown) => call(base, 'POST', `${I1}/${method}/${T1}`, { body });

describe('GREEN-API instance endpoints', () => {
  it('getContacts lists users and groups with the documented shape, filtered by ?group and ?count', async () => {
    const e = await emulator();
    const all = await get(e.url, 'getContacts');
    expect(all.status).toBe(200);
    expect(all.json).toHaveLength(14 + 5);
    expect(all.json[0]).toEqual({ id: '79876543210@c.us', name: 'Alice', contactName: 'Alice Work', type: 'user' });
    expect(all.json.find((c: any) => c.id === '120363043968066561@g.us')).toEqual({
      id: '120363043968066561@g.us',
      name: 'Team',
      contactName: '',
      type: 'group',
    });
    expect((await get(e.url, 'getContacts', '?group=true')).json.map((c: any) => c.type)).toEqual(
      Array(5).fill('group'),
    );
    expect((await get(e.url, 'getContacts', '?group=false')).json).toHaveLength(14);
    expect((await get(e.url, 'getContacts', '?count=3')).json).toHaveLength(3);
  });

  it('getChats lists chats with type, archive and ephemeralExpiration', async () => {
    const e = await emulator();
    const r = await get(e.url, 'getChats');
    expect(r.status).toBe(200);
    const groups = r.json.filter((c: any) => c.type === 'group');
    expect(groups.map((g: any) => g.id)).toContain('11001234567-1587570015@g.us');
    expect(groups[0]).toMatchObject({ archive: false, ephemeralExpiration: 0, type: 'group', name: 'Team' });
  });

  it('getGroupData reports participants and admin flags; the invite link only for admins', async () => {
    const e = await emulator();
    const admin = await post(e.url, 'getGroupData', { groupId: '120363043968066561@g.us' });
    expect(admin.status).toBe(200);
    expect(admin.json).toMatchObject({
      groupId: '120363043968066561@g.us',
      owner: '79990000001@c.us',
      subject: 'Team',
    });
    expect(admin.json.participants[0]).toEqual({ id: '79990000001@c.us', isAdmin: true, isSuperAdmin: true });
    expect(admin.json.groupInviteLink).toMatch(/^https:\/\/chat\.whatsapp\.com\//);
    const member = await post(e.url, 'getGroupData', { groupId: '11001234567-1587570015@g.us' });
    expect(member.json.groupInviteLink).toBe('');
    const unknown = await post(e.url, 'getGroupData', { groupId: '999@g.us' });
    expect(unknown).toMatchObject({ status: 200, text: 'Error: item-not-found' });
  });

  it('getStateInstance, getSettings and getWaSettings describe the instance', async () => {
    const e = await emulator();
    expect((await get(e.url, 'getStateInstance')).json).toEqual({ stateInstance: 'authorized' });
    expect((await get(e.url, 'getSettings')).json).toMatchObject({ wid: '79990000001@c.us' });
    expect((await get(e.url, 'getWaSettings')).json).toMatchObject({
      phone: '79990000001',
      stateInstance: 'authorized',
    });
    const reserve = await call(e.url, 'GET', '/waInstance1101000002/getStateInstance/tok-1101000002');
    expect(reserve.json).toEqual({ stateInstance: 'notAuthorized' });
  });

  it('answers a null body while an instance is provisioned', async () => {
    const e = await emulator({
      state: {
        'green-api': { instances: [{ idInstance: 7, apiTokenInstance: 't7', wid: '79990000007@c.us', state: null }] },
      },
    });
    const r = await call(e.url, 'GET', '/waInstance7/getStateInstance/t7');
    expect(r).toMatchObject({ status: 200, text: 'null' });
    expect((await call(e.url, 'GET', '/waInstance7/getContacts/t7')).json).toEqual({
      message: 'instance in starting process try later',
    });
  });

  it('logout makes the instance notAuthorized, visible in /__emulator/state', async () => {
    const e = await emulator();
    expect((await get(e.url, 'logout')).json).toEqual({ isLogout: true });
    expect((await get(e.url, 'getStateInstance')).json).toEqual({ stateInstance: 'notAuthorized' });
    const state = (await call(e.url, 'GET', '/__emulator/state')).json;
    expect(state['green-api'].instances[0].state).toBe('notAuthorized');
    expect((await get(e.url, 'getContacts')).json).toEqual({ message: 'instance account not authorized' });
  });

  it('deleteContact deletes once, then answers 404 "is not on WhatsApp"', async () => {
    const e = await emulator();
    expect(await post(e.url, 'deleteContact', { chatId: '79876543219@c.us' })).toMatchObject({
      status: 200,
      json: { deleteContact: true },
    });
    expect(await post(e.url, 'deleteContact', { chatId: '79876543219@c.us' })).toMatchObject({
      status: 404,
      json: { message: '79876543219@c.us is not on WhatsApp' },
    });
    const state = (await call(e.url, 'GET', '/__emulator/state')).json;
    expect(state['green-api'].instances[0].contacts.map((c: any) => c.id)).not.toContain('79876543219@c.us');
    expect(state['green-api'].instances[0].contacts).toHaveLength(13);
  });

  it('leaveGroup answers leaveGroup, or removeAdmin where the own number was an admin; then leaveGroup: false', async () => {
    const e = await emulator();
    expect((await post(e.url, 'leaveGroup', { groupId: '11001234567-1587570015@g.us' })).json).toEqual({
      leaveGroup: true,
    });
    expect((await post(e.url, 'leaveGroup', { groupId: '120363043968066562@g.us' })).json).toEqual({
      removeAdmin: true,
    });
    // Decision: a group the instance is not in answers 200 + false, as RemoveAdmin documents for it.
    const again = await post(e.url, 'leaveGroup', { groupId: '11001234567-1587570015@g.us' });
    expect(again).toMatchObject({ status: 200, json: { leaveGroup: false } });
    expect((await post(e.url, 'leaveGroup', { groupId: 'not-a-group' })).json.message).toBe('Validation failed');
    // GetChats: refreshed at most once a minute, so the groups just left are still listed (the world's clock is fixed)...
    const chats = (await get(e.url, 'getChats')).json.map((c: any) => c.id);
    expect(chats).toContain('11001234567-1587570015@g.us');
    expect(chats).toContain('120363043968066562@g.us');
    // ...while getGroupData, the participants list, no longer has the own number.
    const data = await post(e.url, 'getGroupData', { groupId: '11001234567-1587570015@g.us' });
    expect(data.json.participants.map((p: any) => p.id)).not.toContain('79990000001@c.us');
  });

  it('rejects bad bodies with 400 and the provider error shape', async () => {
    const e = await emulator();
    const malformed = await call(e.url, 'POST', `${I1}/deleteContact/${T1}`, { body: '{"chatId":' });
    expect(malformed).toMatchObject({ status: 400, json: { message: 'bad request data' } });
    expect(await post(e.url, 'deleteContact', {})).toMatchObject({
      status: 400,
      json: { message: 'Validation failed' },
    });
    expect(await post(e.url, 'deleteContact', { chatId: '120363043968066561@g.us' })).toMatchObject({ status: 400 });
  });

  it('checks auth: wrong token 401, unknown instance 403, wrong verb or extra segments 404', async () => {
    const e = await emulator();
    expect((await call(e.url, 'GET', `${I1}/getContacts/wrong`)).status).toBe(401);
    expect((await call(e.url, 'GET', `/waInstance42/getContacts/${T1}`)).status).toBe(403);
    expect((await call(e.url, 'POST', `${I1}/getContacts/${T1}`, { body: {} })).status).toBe(404);
    expect((await call(e.url, 'GET', `${I1}/getContacts/${T1}/extra`)).status).toBe(404);
    expect((await call(e.url, 'GET', `${I1}/noSuchMethod/${T1}`)).status).toBe(404);
  });

  it('reproduces the transient empty list of a restarted instance', async () => {
    const state = {
      'green-api': {
        instances: [
          {
            idInstance: 9,
            apiTokenInstance: 't9',
            wid: '79990000009@c.us',
            transientEmptyLists: 1,
            contacts: [{ id: '79000000001@c.us' }],
          },
        ],
      },
    };
    const e = await emulator({ state });
    expect((await call(e.url, 'GET', '/waInstance9/getContacts/t9')).json).toEqual([]);
    expect((await call(e.url, 'GET', '/waInstance9/getContacts/t9')).json).toHaveLength(1);
  });
});

describe('GREEN-API partner endpoints', () => {
  it('getInstances lists the partner instances with their tokens', async () => {
    const e = await emulator();
    const r = await call(e.url, 'GET', '/partner/getInstances/gac.partner-1');
    expect(r.status).toBe(200);
    expect(r.json.map((i: any) => i.idInstance)).toEqual([1101000001, 1101000002, 1101000003]);
    expect(r.json[0]).toMatchObject({
      name: 'main',
      typeInstance: 'whatsapp',
      apiTokenInstance: 'tok-1101000001',
      deleted: false,
      isExpired: false,
      timeDeleted: '0001-01-01T00:00:00',
    });
  });

  it('answers auth failures and missing instances with HTTP 200 and {code, description}', async () => {
    const e = await emulator();
    expect(await call(e.url, 'GET', '/partner/getInstances/wrong')).toMatchObject({
      status: 200,
      json: { code: 401, description: 'Unauthorized' },
    });
    const del = (id: unknown) =>
      call(e.url, 'POST', '/partner/deleteInstanceAccount/gac.partner-1', { body: { idInstance: id } });
    expect(await del(1101000003)).toMatchObject({ status: 200, json: { deleteInstanceAccount: true } });
    expect(await del(1101000003)).toMatchObject({ status: 200, json: { code: 404, description: 'Not found' } });
    expect(await del(4242)).toMatchObject({ status: 200, json: { code: 404 } });
    expect((await del('1101000001')).json.code).toBe(400);
    const listed = (await call(e.url, 'GET', '/partner/getInstances/gac.partner-1')).json.find(
      (i: any) => i.idInstance === 1101000003,
    );
    expect(listed).toMatchObject({ deleted: true, timeDeleted: '2026-11-25T12:00:00' });
    expect((await call(e.url, 'GET', '/waInstance1101000003/getStateInstance/tok-1101000003')).json).toEqual({
      message: 'Instance is deleted',
    });
  });
});
