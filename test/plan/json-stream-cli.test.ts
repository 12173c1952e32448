import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { INDENT_ALL_UP_TO } from '../../src/render/json.js';
import { emulator } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'chatstate-json-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONTACTS = INDENT_ALL_UP_TO + 2_000;
const id = (j: number) => `7900${String(j).padStart(7, '0')}@c.us`;

describe('plan --format json of a large plan, written in pieces to a slow reader', () => {
  it('waits for the reader and writes the whole plan, one record per line', async () => {
    const emu = await emulator({
      state: {
        'green-api': {
          instances: [
            {
              idInstance: 1101000001,
              apiTokenInstance: 'tok-1',
              wid: '79990000001@c.us',
              contacts: Array.from({ length: CONTACTS }, (_, j) => ({ id: id(j), name: `Person "${j}"` })),
            },
          ],
        },
      },
    });
    const config = join(dir, 'chatstate.yaml');
    writeFileSync(
      config,
      `version: 1\ngreen-api:\n  main:\n    apiUrl: ${emu.url}\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [${id(0)}, ${id(1)}], safety: { maxDeletePercent: 100 } }\n`,
    );
    // A reader that takes 64 KB at a time, each a turn of the event loop later (a pipe to `jq`).
    const chunks: string[] = [];
    let writes = 0;
    let piled = 0;
    const stdout = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        setImmediate(done);
      },
    });
    // A write while the reader has asked to wait (write() answered false, no 'drain' yet) piles onto it.
    const write = stdout.write.bind(stdout) as (chunk: string) => boolean;
    stdout.write = ((chunk: string) => {
      writes++;
      if (stdout.writableNeedDrain) piled++;
      return write(chunk);
    }) as typeof stdout.write;
    const r = await runCliInProcess(
      ['plan', '-f', config, '--format', 'json', '--allow-mass-delete', '--now', '2026-11-25T12:00:00Z'],
      { T: 'tok-1' },
      { stdout },
    );
    expect(r.code, r.stderr).toBe(0);
    const json = chunks.join('');
    const plan = JSON.parse(json);
    expect(plan.actions).toHaveLength(CONTACTS - 2);
    expect(plan.collections[0].decisions).toHaveLength(CONTACTS);
    expect(plan.collections[0].decisions[5]).toEqual({
      id: id(5),
      name: 'Person "5"',
      decision: 'remove',
      rule: 'not kept (prune: true)',
    });
    expect(plan.summary.actions).toBe(CONTACTS - 2);
    // One record per line, in several writes, none of them piled onto a reader that is behind.
    expect(json.split('\n').filter((l) => l.startsWith('        {"id":'))).toHaveLength(CONTACTS);
    expect(writes).toBeGreaterThan(1);
    expect(piled).toBe(0);
  }, 60_000);
});
