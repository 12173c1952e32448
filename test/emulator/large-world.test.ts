import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import { loadEmulatorState } from '../../src/emulator/state.js';

const dir = mkdtempSync(join(tmpdir(), 'chatstate-large-world-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emulator: large worlds', () => {
  it('loads a 200,000-contact state file (beyond 8 MiB) and serves every contact', async () => {
    const CONTACTS = 200_000;
    const contacts = Array.from({ length: CONTACTS }, (_, j) => ({
      id: `7${String(j).padStart(10, '0')}@c.us`,
      name: `Contact number ${j}`,
    }));
    const state = {
      'green-api': {
        instances: [{ idInstance: 1101000001, apiTokenInstance: 'tok', wid: '79990000001@c.us', contacts }],
      },
    };
    const file = join(dir, 'world.json');
    writeFileSync(file, JSON.stringify(state));
    expect(JSON.stringify(state).length).toBeGreaterThan(8 * 1024 * 1024);
    const loaded = loadEmulatorState(file);
    expect(loaded['green-api']?.instances?.[0]?.contacts).toHaveLength(CONTACTS);
    const emu = await startEmulator({ state: loaded });
    try {
      const res = await request(`${emu.url}/waInstance1101000001/getContacts/tok`);
      const body = (await res.body.json()) as { id: string }[];
      expect(res.statusCode).toBe(200);
      expect(body).toHaveLength(CONTACTS);
      expect(body.at(-1)?.id).toBe(contacts.at(-1)?.id);
    } finally {
      await emu.stop();
    }
  }, 120_000);

  it('still refuses a JSON state with a problem, with its line and column', () => {
    const text =
      '{\n  "green-api": {\n    "instances": [\n      { "idInstance": 1, "apiTokenInstance": "a", "wid": "79990000011@c.us",\n        "contacts": [{ "id": "79000000001@c.us" }, { "id": "79000000001@c.us" }] }\n    ]\n  }\n}\n';
    const file = join(dir, 'bad.json');
    writeFileSync(file, text);
    expect(() => loadEmulatorState(file)).toThrow(/bad\.json:5:52: duplicate contact id/);
  });
});
