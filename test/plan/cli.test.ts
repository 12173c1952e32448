import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/engine/plan-file.js';
import { schemaValidator } from '../../src/shared/schema-validation.js';
import { runCliInProcess } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { exampleEnv, TEST_TOKENS } from '../helpers/world.js';

const NOW = ['--now', '2026-11-25T12:00:00Z'];

describe('chatstate plan (end to end against the emulator)', () => {
  it('plans exactly the expected actions for examples/ in JSON', async () => {
    const emu = await emulator();
    const r = await runCliInProcess(['plan', '-f', 'examples/chatstate.yaml', '--format', 'json', ...NOW], {
      env: exampleEnv(emu.url),
    });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { actions: { type: string; address: string }[] };
    expect(schemaValidator('plan.schema.json')(plan)).toBe(true);
    expect(plan.actions.map((a) => `${a.type} ${a.address}`)).toEqual([
      'leave-group green-api.main/instance.1101000001/group.11001234567-1587570015@g.us',
      'leave-group green-api.main/instance.1101000001/group.120363043968066563@g.us',
      'delete-contact green-api.main/instance.1101000001/contact.79876543219@c.us',
      'delete-contact green-api.main/instance.1101000001/contact.79876543220@c.us',
      'delete-contact green-api.main/instance.1101000001/contact.79876543221@c.us',
      'logout-instance green-api.main/instance.1101000003',
      'delete-instance green-api.main/instance.1101000003',
      'delete-contact wabotify.sales/contact.c-8',
      'delete-contact wabotify.sales/contact.c-9',
      'delete-contact 2chat.support/contact.CON5dbf28a9-0005',
      'delete-message 2chat.support/number.+5215511112222/message.MSG1a2b3c4d-0000-4000-8000-000000000001',
      'delete-message 2chat.support/number.+5215511112222/message.MSG1a2b3c4d-0000-4000-8000-000000000002',
      'delete-message 2chat.support/number.+5215511112222/message.MSG205dec10-523d-4ab3-b739-fd56e7cdeba2',
      'delete-number 2chat.support/number.+5215533334444',
    ]);
    // plan is read-only: nothing but reads reached the emulator.
    expect(emu.requests().every((q) => q.method === 'GET' || ['getGroupData'].includes(q.operation))).toBe(true);
    expect(r.stderr).toContain('observing 3 accounts');
  });

  it('--detailed-exitcode: 2 with changes, 0 without', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    expect(
      (await runCliInProcess(['plan', '-f', 'examples/chatstate.yaml', '--detailed-exitcode', ...NOW], { env })).code,
    ).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-'));
    writeFileSync(
      join(dir, 'c.yaml'),
      'version: 1\nwabotify:\n  sales:\n    workspaceId: ws-1\n    apiKey: ${WABOTIFY_API_KEY}\n    apiUrl: ${WABOTIFY_URL}\n    contacts: { keep: [c-999], remove: [c-998] }\n',
    );
    const r = await runCliInProcess(['plan', '-f', join(dir, 'c.yaml'), '--detailed-exitcode', ...NOW], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes. The accounts match the configuration.');
    expect(r.stdout).toContain('Warnings:\n  ! wabotify.sales/contacts: c-999 is kept by the file but does not exist');
  });

  it('refuses mass deletion with exit 3 and writes no plan file; --allow-mass-delete lets it through', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-'));
    writeFileSync(
      join(dir, 'c.yaml'),
      'version: 1\nwabotify:\n  sales:\n    workspaceId: ws-1\n    apiKey: ${WABOTIFY_API_KEY}\n    apiUrl: ${WABOTIFY_URL}\n    contacts: { prune: true, keep: [c-1, c-2] }\n',
    );
    const out = join(dir, 'plan.json');
    const refused = await runCliInProcess(['plan', '-f', join(dir, 'c.yaml'), '--save', out, ...NOW], { env });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain(
      'refusing to remove 13 of 15 contacts of wabotify.sales (86.67% > 30%); set safety.maxDeletePercent or pass --allow-mass-delete',
    );
    expect(refused.stderr).toContain('plan refused');
    expect(existsSync(out)).toBe(false);
    const allowed = await runCliInProcess(
      ['plan', '-f', join(dir, 'c.yaml'), '--save', out, '--allow-mass-delete', ...NOW],
      { env },
    );
    expect(allowed.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('--save writes a valid plan file with no secret, readable by its owner only', async () => {
    const emu = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-'));
    const out = join(dir, 'plans', 'plan.json');
    const r = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--format', 'markdown', '--save', out, ...NOW],
      { env: exampleEnv(emu.url) },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('<!-- chatstate-plan: examples/chatstate.yaml -->');
    const text = readFileSync(out, 'utf8');
    // The file is compact and columnar; read back, it is the plan of plan.schema.json (as JSON: decisions as rows).
    expect(schemaValidator('plan.schema.json')(JSON.parse(JSON.stringify(readPlanFile(out))))).toBe(true);
    expect(statSync(out).mode & 0o077).toBe(0);
    for (const token of TEST_TOKENS) {
      expect(text).not.toContain(token);
      expect(r.stdout + r.stderr).not.toContain(token);
    }
    expect(r.stderr).toContain(`apply it with: chatstate apply ${out}`);
  });

  it('a provider error exits 1 naming the account and the variable to check, never the token; no plan file', async () => {
    const emu = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-'));
    const out = join(dir, 'plan.json');
    const r = await runCliInProcess(['plan', '-f', 'examples/chatstate.yaml', '--save', out, '--verbose', ...NOW], {
      env: { ...exampleEnv(emu.url), GREEN_API_TOKEN_1101000001: 'tok-wrong-secret' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Error: green-api.main/instance.1101000001/contacts: green-api.main: GET');
    expect(r.stdout).toContain('/waInstance1101000001/getSettings/*** failed with 401');
    expect(r.stdout).toContain('check GREEN_API_TOKEN_1101000001');
    expect(r.stderr).toContain('could not be observed');
    expect(r.stderr).toMatch(/chatstate: GET http:\/\/127\.0\.0\.1:\d+\/waInstance1101000001\/getSettings\/\*\*\* /);
    expect(r.stdout + r.stderr).not.toContain('tok-wrong-secret');
    expect(existsSync(out)).toBe(false);
  });

  it('chatstate demo plans the bundled example against the bundled emulator', async () => {
    const r = await runCliInProcess(['demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Plan: 10 to delete (4 restorable), 2 groups to leave, 1 instance to delete (after logout) — 9 irreversible.',
    );
    expect(r.stderr).toMatch(/demo: emulator listening on http:\/\/127\.0\.0\.1:\d+/);
  });
});
