import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from '../../src/shared/redact.js';
import { emulator } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';

const AT = ['--now', '2026-11-25T12:00:00Z'];
const CLOCK = { clock: () => new Date('2026-11-25T12:05:00Z') };

describe('secrets in unusual places are redacted everywhere (issue 12)', () => {
  it('credentials in an apiUrl (https://user:${PASS}@host) never reach logs, plans or dry runs', async () => {
    const emu = await emulator();
    const PASS = 'Sw0rdfish-in-url-92';
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-secrets-'));
    const config = join(dir, 'chatstate.yaml');
    const host = emu.url.replace('http://', '');
    writeFileSync(
      config,
      `version: 1\ngreen-api:\n  main:\n    apiUrl: http://robot:\${PASS}@${host}\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { remove: ["79876543219"] }\n`,
    );
    const env = { PASS, T: 'tok-1101000001' };
    const plan = await runCliInProcess(
      ['plan', '-f', config, '--verbose', '--format', 'json', '--save', join(dir, 'plan.json'), ...AT],
      env,
    );
    expect(plan.code, plan.stderr).toBe(0);
    const dry = await runCliInProcess(['apply', join(dir, 'plan.json'), '--dry-run', '--verbose', ...AT], env, CLOCK);
    expect(dry.code, dry.stderr).toBe(0);
    const everything = [
      plan.stdout,
      plan.stderr,
      dry.stdout,
      dry.stderr,
      readFileSync(join(dir, 'plan.json'), 'utf8'),
    ].join('\n');
    expect(everything).toContain('http://***@127.0.0.1'); // the URLs were printed, masked
    expect(everything).not.toContain(PASS);
    expect(everything).not.toContain('robot:');
  });

  it('a token whose URL-encoded form differs from its text is masked in both forms', () => {
    const token = 'tok en/with+odd=chars';
    registerSecret(token);
    const text = `raw ${token} | component ${encodeURIComponent(token)} | form ${encodeURIComponent(token).replace(/%20/g, '+')} | uri ${encodeURI(token)}`;
    expect(redact(text)).toBe('raw *** | component *** | form *** | uri ***');
  });

  it('a provider that echoes a secret into a contact name does not get it printed', async () => {
    const emu = await emulator();
    const key = 'wab key/echo+1';
    const ws = emu.world().workspaces.get('ws-1')!;
    ws.info.apiKey = key;
    ws.contacts.set('c-50', { seq: 50, contact: { id: 'c-50', name: key, lastname: 'x', platformId: 2 } as never });
    ws.contacts.set('c-51', {
      seq: 51,
      contact: { id: 'c-51', name: encodeURIComponent(key), lastname: 'y', platformId: 2 } as never,
    });
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-secrets-'));
    const config = join(dir, 'chatstate.yaml');
    writeFileSync(
      config,
      `version: 1\nwabotify:\n  s:\n    workspaceId: ws-1\n    apiKey: \${K}\n    apiUrl: ${emu.url}\n    contacts: { remove: ["c-5?"] }\n`,
    );
    for (const format of ['text', 'markdown', 'json']) {
      const r = await runCliInProcess(
        ['plan', '-f', config, '--format', format, '--save', join(dir, 'plan.json'), ...AT],
        { K: key },
      );
      expect(r.code, r.stderr).toBe(0);
      const everything = `${r.stdout}\n${r.stderr}\n${readFileSync(join(dir, 'plan.json'), 'utf8')}`;
      expect(everything).toContain('c-50');
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(encodeURIComponent(key));
      expect(everything).not.toContain(JSON.stringify(key).slice(1, -1));
    }
  });
});
