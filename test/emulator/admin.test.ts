import { describe, expect, it } from 'vitest';
import { parseEmulatorState } from '../../src/emulator/state.js';
import { call, emulator, exampleState } from '../helpers/emulator.js';

describe('emulator admin endpoints', () => {
  it('GET /__emulator/state returns the world in the state-file format, loadable again', async () => {
    const e = await emulator();
    await call(e.url, 'POST', '/waInstance1101000001/deleteContact/tok-1101000001', {
      body: { chatId: '79876543210@c.us' },
    });
    const snapshot = (await call(e.url, 'GET', '/__emulator/state')).json;
    const reloaded = parseEmulatorState('snapshot.json', JSON.stringify(snapshot));
    expect(reloaded['green-api']!.instances![0]!.contacts).toHaveLength(13);
    const original = exampleState();
    expect(reloaded.wabotify).toEqual(original.wabotify);
  });

  it('logs requests with tokens redacted, and reset restores the initial world', async () => {
    const e = await emulator();
    await call(e.url, 'GET', '/waInstance1101000001/getContacts/tok-1101000001');
    await call(e.url, 'GET', '/partner/getInstances/gac.partner-1');
    await call(e.url, 'POST', '/waInstance1101000001/deleteContact/tok-1101000001', {
      body: { chatId: '79876543210@c.us' },
    });
    const log = (await call(e.url, 'GET', '/__emulator/requests')).json;
    expect(log.map((r: any) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/waInstance1101000001/getContacts/***', 200],
      ['GET', '/partner/getInstances/***', 200],
      ['POST', '/waInstance1101000001/deleteContact/***', 200],
    ]);
    expect(JSON.stringify(log)).not.toMatch(/tok-1101000001|gac\.partner-1/);
    expect(typeof log[0].time).toBe('string');
    await call(e.url, 'POST', '/__emulator/reset');
    const state = (await call(e.url, 'GET', '/__emulator/state')).json;
    expect(state['green-api'].instances[0].contacts).toHaveLength(14);
    expect((await call(e.url, 'GET', '/__emulator/requests')).json).toEqual([]);
  });

  it('reuses keep-alive connections and counts them', async () => {
    const e = await emulator();
    for (let i = 0; i < 5; i++) await call(e.url, 'GET', '/waInstance1101000001/getSettings/tok-1101000001');
    const stats = (await call(e.url, 'GET', '/__emulator/stats')).json;
    expect(stats.requests).toBe(5);
    expect(stats.connections).toBeLessThanOrEqual(2);
  });
});
