import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/state.js';
import { HttpClient } from '../../src/http/client.js';
import { emulator } from '../helpers/emulator.js';
import { desiredFrom, fakeTime, observeAll } from '../helpers/world.js';

const INSTANCES = 200;
const CONTACTS = 500;

function bigWorld(): EmulatorState {
  const ids = Array.from({ length: INSTANCES }, (_, i) => 1200000000 + i);
  return {
    'green-api': {
      partners: [{ token: 'gac.partner-big', instances: ids }],
      instances: ids.map((id, i) => ({
        idInstance: id,
        apiTokenInstance: `tok-${id}`,
        name: `inst-${i}`,
        state: 'authorized',
        wid: `7${String(id)}@c.us`,
        contacts: Array.from({ length: CONTACTS }, (_, j) => ({
          id: `7${String(i).padStart(4, '0')}${String(j).padStart(6, '0')}@c.us`,
          name: `Contact ${j}`,
        })),
        groups: [],
      })),
    },
  } as EmulatorState;
}

describe('observation at scale', () => {
  it(`observes ${INSTANCES} instances × ${CONTACTS} contacts over reused keep-alive connections with bounded concurrency`, async () => {
    const emu = await emulator({ state: bigWorld() });
    const lines = [
      'version: 1',
      'green-api:',
      '  big:',
      `    apiUrl: ${emu.url}`,
      '    partner:',
      '      token: ${P}',
      '    instances:',
    ];
    for (let i = 0; i < INSTANCES; i++) lines.push(`      ${1200000000 + i}: { contacts: { prune: false } }`);
    const desired = desiredFrom(`${lines.join('\n')}\n`, { P: 'gac.partner-big' });
    const time = fakeTime();
    const http = new HttpClient({ connections: 8, now: time.now, sleep: time.sleep });
    const observed = await observeAll(desired, http);
    await http.close();

    expect(observed.filter((c) => c.error)).toEqual([]);
    expect(observed).toHaveLength(INSTANCES);
    expect(observed.reduce((n, c) => n + c.items.length, 0)).toBe(INSTANCES * CONTACTS);
    // 1 partner listing + per instance getSettings, getWaSettings, getContacts.
    const requests = emu.requests();
    expect(requests).toHaveLength(1 + 3 * INSTANCES);
    // Keep-alive: hundreds of requests over at most the pool's 8 connections.
    expect(emu.connections()).toBeLessThanOrEqual(8);
    expect(new Set(requests.map((r) => r.connection)).size).toBeLessThanOrEqual(8);
  });
});
