import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/state.js';
import { ROOT } from '../helpers/cli.js';
import { call, emulator, exampleState } from '../helpers/emulator.js';
import { exampleEnv, TEST_TOKENS } from '../helpers/world.js';
import { cli, tempDir } from '../honest/cli.js';

const EXAMPLE = join(ROOT, 'examples', 'chatstate.yaml');
const PLAN_AT = ['--now', '2026-11-25T12:00:00Z'];
const APPLY_AT = ['--now', '2026-11-25T12:05:00Z'];
const GREEN_CONTACTS = 'green-api.main/instance.1101000001/contacts';

interface PlanJson {
  collections: { address: string; decisions: { id: string; name: string }[] }[];
  actions: { address: string; type: string; reversible: boolean }[];
  summary: { text: string };
}

const collectionOf = (p: PlanJson, address: string) => p.collections.find((c) => c.address === address)!;
const idsOf = (p: PlanJson, address: string) =>
  collectionOf(p, address)
    .decisions.map((d) => `${d.id} ${d.name}`)
    .sort();
const namesOf = (p: PlanJson, address: string) =>
  collectionOf(p, address)
    .decisions.map((d) => d.name)
    .sort();

describe('emulator: addContact as documented (green-api.com/docs/api/contacts/AddContact)', () => {
  it('adds a contact, answers 400 "Contact … already exists" and 404 "… is not on WhatsApp"', async () => {
    const state: EmulatorState = exampleState();
    state['green-api']!.instances![0]!.notOnWhatsApp = ['79000000404@c.us'];
    const emu = await emulator({ state });
    const add = (body: unknown) => call(emu.url, 'POST', '/waInstance1101000001/addContact/tok-1101000001', { body });
    const ok = await add({ chatId: '79000000001@c.us', firstName: 'Ivan', lastName: 'Tsarevich' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ addContact: true });
    const contacts = await call(emu.url, 'GET', '/waInstance1101000001/getContacts/tok-1101000001');
    expect(contacts.json).toContainEqual({
      id: '79000000001@c.us',
      name: 'Ivan Tsarevich',
      contactName: 'Ivan Tsarevich',
      type: 'user',
    });
    expect(await add({ chatId: '79000000001@c.us', firstName: 'Ivan' })).toMatchObject({
      status: 400,
      json: { message: 'Contact 79000000001@c.us already exists' },
    });
    expect(await add({ chatId: '79000000404@c.us', firstName: 'Nobody' })).toMatchObject({
      status: 404,
      json: { message: '79000000404@c.us is not on WhatsApp' },
    });
    expect((await add({ chatId: '79000000002@c.us' })).status).toBe(400);
    expect(
      (
        await call(emu.url, 'POST', '/waInstance1101000001/addContact/wrong-token', {
          body: { chatId: '79000000003@c.us', firstName: 'X' },
        })
      ).status,
    ).toBe(401);
  });
});

describe('chatstate restore (end to end against the emulator)', () => {
  it('apply deletes contacts; restore re-creates them; a new plan shows the state from before the apply', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    const journal = join(dir, 'journal.jsonl');

    const planned = await cli(['plan', '-f', EXAMPLE, '--save', planFile, '--format', 'json', ...PLAN_AT], env);
    expect(planned.code, planned.stderr).toBe(0);
    const before = JSON.parse(planned.stdout) as PlanJson;
    expect(before.summary.text).toBe(
      'Plan: 10 to delete (4 restorable), 2 groups to leave, 1 instance to delete (after logout) — 9 irreversible.',
    );
    expect(before.actions.filter((a) => a.reversible).map((a) => a.address)).toEqual([
      'green-api.main/instance.1101000001/contact.79876543219@c.us',
      'green-api.main/instance.1101000001/contact.79876543220@c.us',
      'green-api.main/instance.1101000001/contact.79876543221@c.us',
      '2chat.support/contact.CON5dbf28a9-0005',
    ]);

    const applied = await cli(['apply', planFile, '--journal', journal, ...APPLY_AT], env);
    expect(applied.code, applied.stderr).toBe(0);

    // Before each removal the journal held the resource's whole observed record.
    const lines = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    const sendingAt = lines.findIndex(
      (l) => l['event'] === 'sending' && l['address'] === 'green-api.main/instance.1101000001/contact.79876543219@c.us',
    );
    const doneAt = lines.findIndex(
      (l) => l['event'] === 'outcome' && l['address'] === 'green-api.main/instance.1101000001/contact.79876543219@c.us',
    );
    expect(sendingAt).toBeGreaterThanOrEqual(0);
    expect(sendingAt).toBeLessThan(doneAt);
    expect(lines[sendingAt]!['archive']).toEqual({
      address: 'green-api.main/instance.1101000001/contact.79876543219@c.us',
      collection: GREEN_CONTACTS,
      provider: 'green-api',
      account: 'main',
      action: 'delete-contact',
      id: '79876543219@c.us',
      name: 'spam-bot-1',
      instance: '1101000001',
      reversible: true,
    });
    expect(
      lines.find((l) => l['event'] === 'sending' && l['address'] === '2chat.support/contact.CON5dbf28a9-0005')![
        'archive'
      ],
    ).toMatchObject({ phone: '+5215500000099', firstName: 'Test', lastName: 'Contact' });

    // Dry run: the exact requests, nothing sent.
    const sent = emu.requests().length;
    const dry = await cli(['restore', journal, '-f', EXAMPLE, '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      `POST ${emu.url}/waInstance1101000001/addContact/*** {"chatId":"79876543219@c.us","firstName":"spam-bot-1"}  # green-api.main/instance.1101000001/contact.79876543219@c.us`,
    );
    expect(dry.stdout).toContain(
      `POST ${emu.url}/open/contacts {"first_name":"Test","last_name":"Contact","contact_detail":[{"type":"WAPH","value":"+5215500000099"}]}`,
    );
    expect(emu.requests().filter((q) => q.method !== 'GET').length).toBe(
      emu
        .requests()
        .slice(0, sent)
        .filter((q) => q.method !== 'GET').length,
    );

    // Without a terminal it needs --auto-approve.
    expect((await cli(['restore', journal, '-f', EXAMPLE], env)).stderr).toContain('no terminal to confirm on');

    const restored = await cli(['restore', journal, '-f', EXAMPLE, '--auto-approve'], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(
      '  + re-create green-api.main/instance.1101000001/contact.79876543219@c.us ("spam-bot-1")',
    );
    expect(restored.stdout).toContain(
      '  ✗ cannot be restored: wabotify.sales/contact.c-8 ("Test Contact"): wabotify documents no endpoint to create a contact',
    );
    expect(restored.stdout).toContain(
      '  ✗ cannot be restored: green-api.main/instance.1101000001/group.11001234567-1587570015@g.us ("Promo 2020 (old)"): a group cannot be re-joined',
    );
    expect(restored.stdout).toContain('Restore: 4 to re-create, 0 already present, 9 cannot be restored.');
    expect(restored.stdout).toContain(
      'Restore complete: 4 re-created, 0 already present, 0 failed; 9 cannot be restored.',
    );

    // A new plan sees the contacts as they were before the apply (2Chat gives the contact a new uuid).
    const after = JSON.parse(
      (await cli(['plan', '-f', EXAMPLE, '--format', 'json', ...APPLY_AT], env)).stdout,
    ) as PlanJson;
    expect(idsOf(after, GREEN_CONTACTS)).toEqual(idsOf(before, GREEN_CONTACTS));
    expect(namesOf(after, '2chat.support/contacts')).toEqual(namesOf(before, '2chat.support/contacts'));
    expect(
      after.actions
        .filter((a) => a.type === 'delete-contact' && a.address.startsWith('green-api'))
        .map((a) => a.address),
    ).toEqual(
      before.actions
        .filter((a) => a.type === 'delete-contact' && a.address.startsWith('green-api'))
        .map((a) => a.address),
    );

    // A second restore re-creates nothing: the journal knows what came back.
    const again = await cli(['restore', journal, '-f', EXAMPLE, '--auto-approve'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Restore: 0 to re-create, 0 already present, 9 cannot be restored.');
    for (const t of TEST_TOKENS)
      expect(restored.stdout + restored.stderr + dry.stdout + readFileSync(journal, 'utf8')).not.toContain(t);
  });

  it('--target narrows the restore; a target matching nothing is exit 1; a contact that exists again is "already present"; declining exits 1', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    const journal = join(dir, 'journal.jsonl');
    expect((await cli(['plan', '-f', EXAMPLE, '--save', planFile, ...PLAN_AT], env)).code).toBe(0);
    expect((await cli(['apply', planFile, '--journal', journal, ...APPLY_AT], env)).code).toBe(0);
    // Someone added one back by hand.
    await call(emu.url, 'POST', '/waInstance1101000001/addContact/tok-1101000001', {
      body: { chatId: '79876543220@c.us', firstName: 'spam-bot-2' },
    });

    const none = await cli(
      ['restore', journal, '-f', EXAMPLE, '--target', 'green-api.main/instance.1101000009/*'],
      env,
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('matches nothing');

    const declined = await cli(['restore', journal, '-f', EXAMPLE, '--target', 'green-api.main/*'], env, {
      stdinTty: 'no\n',
    });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('Restore cancelled; nothing was changed.');

    const r = await cli(
      ['restore', journal, '-f', EXAMPLE, '--target', 'green-api.main/instance.1101000001/contact.*', '--auto-approve'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '  = already present: green-api.main/instance.1101000001/contact.79876543220@c.us ("spam-bot-2")',
    );
    expect(r.stdout).toContain('Restore complete: 2 re-created, 1 already present, 0 failed; 0 cannot be restored.');
    expect(r.stdout).not.toContain('2chat');
  });

  it('a journal that does not exist is exit 1 with a plain message', async () => {
    const r = await cli(['restore', join(tempDir(), 'none.jsonl'), '-f', EXAMPLE], exampleEnv('http://127.0.0.1:9'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^chatstate: no journal at .*none\.jsonl; restore reads the journal apply writes/);
  });
});
