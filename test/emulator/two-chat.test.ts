import { describe, expect, it } from 'vitest';
import { call, emulator, exampleState } from '../helpers/emulator.js';

const key = { 'x-user-api-key': 'UAK-1' };
const N1 = 'WPN66037eca-9ad1-4c96-9eff-526a90a48c77';

async function messages(base: string): Promise<any[]> {
  return (
    await call(base, 'GET', `/open/whatsapp/messages/${encodeURIComponent('+5215511112222')}?page_number=0`, {
      headers: key,
    })
  ).json.messages;
}

describe('2Chat endpoints', () => {
  it('info reports the per-minute limit; numbers list with the documented fields', async () => {
    const e = await emulator();
    expect((await call(e.url, 'GET', '/open/info', { headers: key })).json).toMatchObject({
      success: true,
      limits: { requests_per_minute: 80 },
    });
    const numbers = (await call(e.url, 'GET', '/open/whatsapp/get-numbers', { headers: key })).json.numbers;
    expect(numbers[0]).toEqual({
      uuid: N1,
      friendly_name: 'support',
      phone_number: '+5215511112222',
      server: '5215511112222@c.us',
      connection_status: 'C',
      enabled: true,
      channel_type: 'WW',
      created_at: '2026-03-01 09:00:00',
    });
  });

  it('lists messages newest first with derived session keys', async () => {
    const e = await emulator();
    const list = await messages(e.url);
    expect(list).toHaveLength(9);
    expect(list[0]).toMatchObject({
      uuid: 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba7',
      session_key: `WW-${N1}-120363099999999992@g.us`,
      sent_by: 'user',
    });
    const direct = list.find((m) => m.uuid === 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba2');
    expect(direct).toMatchObject({
      session_key: `WW-${N1}-5215500000001@c.us`,
      remote_phone_number: '+5215500000001',
      is_from_api: true,
      sent: true,
      message: { text: 'Your order #1043 has shipped' },
    });
    const times = list.map((m) => Date.parse(m.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('pages messages 100 at a time (0-based page_number)', async () => {
    const state = exampleState();
    const n = state['2chat']!.accounts![0]!.numbers![0]!;
    n.messages = Array.from({ length: 250 }, (_, i) => ({
      uuid: `MSG-${String(i).padStart(3, '0')}`,
      remote: '+5215500000001',
      created_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      sent_by: 'api' as const,
    }));
    const e = await emulator({ state });
    const page = async (p: number) =>
      (await call(e.url, 'GET', `/open/whatsapp/messages/%2B5215511112222?page_number=${p}`, { headers: key })).json;
    expect((await page(0)).messages).toHaveLength(100);
    expect((await page(0)).messages[0].uuid).toBe('MSG-249');
    expect((await page(2)).messages).toHaveLength(50);
    expect((await page(3)).messages).toHaveLength(0);
  });

  it('deletes on WhatsApp only inside 60 hours and, in groups, only own messages or as admin', async () => {
    const e = await emulator();
    const del = (session: string, uuid: string) =>
      call(e.url, 'DELETE', `/open/whatsapp/message/${encodeURIComponent(session)}/${uuid}`, { headers: key });
    const cases = [
      { uuid: 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba2', session: `WW-${N1}-5215500000001@c.us`, retained: false }, // young, direct
      { uuid: 'MSG1a2b3c4d-0000-4000-8000-000000000001', session: `WW-${N1}-5215500000003@c.us`, retained: true }, // older than 60 h
      { uuid: 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba5', session: `WW-${N1}-120363099999999991@g.us`, retained: true }, // group, other's, not admin
      { uuid: 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba6', session: `WW-${N1}-120363099999999991@g.us`, retained: false }, // group, own
      { uuid: 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba7', session: `WW-${N1}-120363099999999992@g.us`, retained: false }, // group, admin
    ];
    for (const c of cases) {
      const r = await del(c.session, c.uuid);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ success: true, message_uuid: c.uuid });
      expect(typeof r.json.whatsapp_message_id).toBe('string');
    }
    const state = (await call(e.url, 'GET', '/__emulator/state')).json;
    const number = state['2chat'].accounts[0].numbers[0];
    expect(number.retainedOnWhatsApp.sort()).toEqual(
      cases
        .filter((c) => c.retained)
        .map((c) => c.uuid)
        .sort(),
    );
    expect(number.messages).toHaveLength(4);
    expect(await del(cases[0]!.session, cases[0]!.uuid)).toMatchObject({ status: 404, json: { success: false } });
    expect((await del(`WW-${N1}-5215500000009@c.us`, 'MSG205dec10-523d-4ab3-b739-fd56e7cdeba3')).status).toBe(404);
  });

  it('pages contacts, deletes them, and answers 404 for a missing one', async () => {
    const e = await emulator();
    const page = (p: number, size: number) =>
      call(e.url, 'GET', `/open/contacts?page_number=${p}&results_per_page=${size}`, { headers: key });
    const first = (await page(0, 2)).json;
    expect(first).toMatchObject({ success: true, page: 0, count: 2 });
    expect(first.contacts[0]).toEqual({
      uuid: 'CON5dbf28a9-0001',
      first_name: 'Augusto',
      last_name: 'Gonzalez',
      channel_uuid: null,
      details: [{ type: 'WAPH', value: '+595981222333' }],
    });
    expect((await page(2, 2)).json.count).toBe(1);
    expect((await page(0, 101)).status).toBe(400);
    expect((await call(e.url, 'DELETE', '/open/contacts/CON5dbf28a9-0005', { headers: key })).json).toEqual({
      success: true,
    });
    expect((await call(e.url, 'DELETE', '/open/contacts/CON5dbf28a9-0005', { headers: key })).status).toBe(404);
  });

  it('deletes a number (channel) and rejects a bad key with 401', async () => {
    const e = await emulator();
    expect(
      (await call(e.url, 'DELETE', '/open/whatsapp/channel/WPN77148fdb-0be2-4d07-8ff0-637b01b59d88', { headers: key }))
        .json,
    ).toEqual({ success: true });
    expect((await call(e.url, 'GET', '/open/whatsapp/get-numbers', { headers: key })).json.numbers).toHaveLength(1);
    const bad = await call(e.url, 'GET', '/open/whatsapp/get-numbers', { headers: { 'x-user-api-key': 'nope' } });
    expect(bad).toMatchObject({ status: 401, json: { success: false, error_message: 'Invalid API key' } });
  });
});
