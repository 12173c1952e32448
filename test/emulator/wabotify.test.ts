import { describe, expect, it } from 'vitest';
import { call, emulator, exampleState } from '../helpers/emulator.js';

const auth = { authorization: 'Bearer wab-key-1', 'x-workspace-id': 'ws-1' };

describe('Wabotify endpoints', () => {
  it('lists contacts in pages linked by continuationToken, null on the last page', async () => {
    const state = exampleState();
    state.wabotify!.workspaces![0]!.pageSize = 4;
    const e = await emulator({ state });
    const ids: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const q: string = token ? `&continuationToken=${encodeURIComponent(token)}` : '';
      const r = await call(e.url, 'GET', `/api/contact?workspaceId=ws-1${q}`, { headers: auth });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ success: true, code: 200, data: { workspaceId: 'ws-1' } });
      ids.push(...r.json.data.data.map((c: any) => c.id));
      token = r.json.data.continuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(4);
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => `c-${i + 1}`));
  });

  it('returns the documented contact fields, 20 per page by default', async () => {
    const e = await emulator();
    const r = await call(e.url, 'GET', '/api/contact?workspaceId=ws-1', { headers: auth });
    expect(r.json.data.continuationToken).toBeNull();
    expect(r.json.data.data[0]).toMatchObject({
      id: 'c-1',
      name: 'Bob',
      lastname: 'Brown',
      platformSenderPhone: '15550001',
      platformId: 2,
      tags: [],
    });
  });

  it('refuses a missing or wrong key or workspace with 401 in the wrapper', async () => {
    const e = await emulator();
    for (const headers of [{}, { ...auth, authorization: 'Bearer nope' }, { ...auth, 'x-workspace-id': 'ws-2' }]) {
      const r = await call(e.url, 'GET', '/api/contact?workspaceId=ws-1', { headers });
      expect(r).toMatchObject({ status: 401, json: { success: false, code: 401, errorCode: 'UNAUTHORIZED' } });
    }
  });

  it('delete-batch deletes the listed ids, all or nothing', async () => {
    const e = await emulator();
    const batch = (ids: string[]) =>
      call(e.url, 'POST', '/api/contact/delete-batch', {
        headers: auth,
        body: { workspaceId: 'ws-1', contactIds: ids.map((id) => ({ ids: id })) },
      });
    expect(await batch(['c-8', 'c-9'])).toMatchObject({ status: 200, json: { success: true, data: null } });
    const partial = await batch(['c-10', 'c-9']);
    expect(partial).toMatchObject({ status: 404, json: { success: false, code: 404 } });
    const left = (await call(e.url, 'GET', '/__emulator/state')).json.wabotify.workspaces[0].contacts.map(
      (c: any) => c.id,
    );
    expect(left).toHaveLength(13);
    expect(left).toContain('c-10');
    expect(left).not.toContain('c-8');
  });

  it('rejects malformed batches with 400', async () => {
    const e = await emulator();
    const send = (body: unknown) => call(e.url, 'POST', '/api/contact/delete-batch', { headers: auth, body });
    expect((await send('{nope')).status).toBe(400);
    expect((await send({ workspaceId: 'ws-1', contactIds: [] })).status).toBe(400);
    expect((await send({ workspaceId: 'ws-1', contactIds: ['c-1'] })).status).toBe(400);
    expect(
      (await send({ workspaceId: 'ws-1', contactIds: Array.from({ length: 101 }, (_, i) => ({ ids: `x${i}` })) })).json
        .message,
    ).toMatch(/at most 100/);
  });
});
