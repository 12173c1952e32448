import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { call, emulator } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';
import { EXAMPLE_REMOVALS, expectedAfter, worldAddresses } from '../helpers/snapshot.js';
import { exampleEnv, TEST_TOKENS } from '../helpers/world.js';

const CONFIG = join(ROOT, 'examples', 'chatstate.yaml');
const PLAN_AT = ['--now', '2026-11-25T12:00:00Z'];
const APPLY_AT = ['--now', '2026-11-25T12:05:00Z'];
/** The real clock of an apply five minutes after the plan (expiry is judged by it, not by --now). */
const AT_APPLY_CLOCK = { clock: () => new Date('2026-11-25T12:05:00Z') };

function workdir(): { dir: string; planFile: string; journal: string } {
  const dir = mkdtempSync(join(tmpdir(), 'chatstate-apply-'));
  return { dir, planFile: join(dir, 'plan.json'), journal: join(dir, 'journal.jsonl') };
}

describe('chatstate apply (end to end against the emulator)', () => {
  it('plan → apply PLANFILE → the world equals the desired state, and a second plan has no changes', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const w = workdir();
    const before = worldAddresses(emu);
    expect((await runCliInProcess(['plan', '-f', CONFIG, '--save', w.planFile, ...PLAN_AT], env)).code).toBe(0);
    const r = await runCliInProcess(['apply', w.planFile, '--journal', w.journal, ...APPLY_AT], env, AT_APPLY_CLOCK);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Apply complete: 13 deleted, 0 already absent, 0 failed (1 logged out, 2 partial).\n');
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
    // WhatsApp kept the two old messages: 2Chat deleted only its copy, as the plan said.
    expect([...emu.world().twoChat.get('UAK-1')!.numbers.values()][0]!.retainedOnWhatsApp.sort()).toEqual([
      'MSG1a2b3c4d-0000-4000-8000-000000000001',
      'MSG1a2b3c4d-0000-4000-8000-000000000002',
    ]);
    // Logout came before the delete of the same instance.
    const ops = emu.requests().map((q) => q.operation);
    expect(ops.indexOf('logout')).toBeLessThan(ops.indexOf('deleteInstanceAccount'));
    const lines = readFileSync(w.journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // A `sending` line before every request (13 actions, the two Wabotify ones in one batch), an outcome after.
    expect(lines.filter((l) => l['event'] === 'sending')).toHaveLength(14);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        event: 'sending',
        address: expect.any(String),
        target: expect.objectContaining({ id: expect.any(String) }),
      }),
    );
    const journal = lines.filter((l) => l['event'] === 'outcome');
    expect(journal).toHaveLength(14);
    expect(journal[0]).toEqual(
      expect.objectContaining({
        address: expect.any(String),
        type: expect.any(String),
        outcome: 'done',
        attempts: 1,
        status: 200,
        time: expect.any(String),
      }),
    );
    const again = await runCliInProcess(['plan', '-f', CONFIG, '--detailed-exitcode', ...APPLY_AT], env);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes.');
    for (const token of TEST_TOKENS)
      expect(r.stdout + r.stderr + readFileSync(w.journal, 'utf8') + readFileSync(w.planFile, 'utf8')).not.toContain(
        token,
      );
  });

  it('--dry-run prints every request in order and sends nothing', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const w = workdir();
    await runCliInProcess(['plan', '-f', CONFIG, '--save', w.planFile, ...PLAN_AT], env);
    const sent = emu.requests().length;
    const r = await runCliInProcess(['apply', w.planFile, '--dry-run', ...APPLY_AT], env, AT_APPLY_CLOCK);
    expect(r.code, r.stderr).toBe(0);
    expect(emu.requests()).toHaveLength(sent);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Dry run: 13 requests would be sent, in this order; nothing was sent.');
    expect(lines[1]).toBe(
      `POST ${emu.url}/waInstance1101000001/leaveGroup/*** {"groupId":"11001234567-1587570015@g.us"}  # leave-group green-api.main/instance.1101000001/group.11001234567-1587570015@g.us`,
    );
    expect(lines).toContain(
      `POST ${emu.url}/api/contact/delete-batch {"workspaceId":"ws-1","contactIds":[{"ids":"c-8"},{"ids":"c-9"}]}  # delete-contact 2 actions: wabotify.sales/contact.c-8 …`,
    );
    expect(lines.findIndex((l) => l.includes('/logout/'))).toBeLessThan(
      lines.findIndex((l) => l.includes('deleteInstanceAccount')),
    );
    for (const token of TEST_TOKENS) expect(r.stdout).not.toContain(token);
  });

  it('refuses (exit 3) a plan whose config changed, an expired plan, a malformed file and another format version', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const w = workdir();
    const config = join(w.dir, 'chatstate.yaml');
    copyFileSync(CONFIG, config);
    await runCliInProcess(['plan', '-f', config, '--save', w.planFile, ...PLAN_AT], env);
    const sent = emu.requests().length;

    const expired = await runCliInProcess(['apply', w.planFile], env, {
      clock: () => new Date('2026-11-26T12:00:01Z'),
    });
    expect(expired.code).toBe(3);
    expect(expired.stderr).toContain('the plan expired at 2026-11-26T12:00:00.000Z; run plan again');
    const old = await runCliInProcess(['apply', w.planFile, '--max-age', '1m', ...APPLY_AT], env, AT_APPLY_CLOCK);
    expect(old.code).toBe(3);
    expect(old.stderr).toContain('more than --max-age allows');

    const bad = join(w.dir, 'bad.json');
    writeFileSync(bad, '{"formatVersion": 1, "actions": "nope"');
    const malformed = await runCliInProcess(['apply', bad, ...APPLY_AT], env, AT_APPLY_CLOCK);
    expect(malformed.code).toBe(3);
    expect(malformed.stderr).toContain('is not a plan file');
    const plan = JSON.parse(readFileSync(w.planFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(bad, JSON.stringify({ ...plan, formatVersion: 1 }));
    expect((await runCliInProcess(['apply', bad, ...APPLY_AT], env, AT_APPLY_CLOCK)).stderr).toContain(
      'has formatVersion 1; this chatstate reads plan files of formatVersion 3',
    );
    // The file names an action's collection by its place in `collections` (formatVersion 3): the
    // first action's collection renamed to one the config does not manage.
    const moved = JSON.parse(readFileSync(w.planFile, 'utf8')) as {
      collections: { address: string }[];
      actions: { collection: number[] };
    };
    moved.collections[moved.actions.collection[0]!]!.address = 'green-api.main/instance.1101000002/contacts';
    writeFileSync(bad, JSON.stringify(moved));
    expect((await runCliInProcess(['apply', bad, ...APPLY_AT], env, AT_APPLY_CLOCK)).stderr).toContain(
      'which the config does not manage',
    );

    writeFileSync(config, `${readFileSync(config, 'utf8')}# an edit after review\n`);
    const changed = await runCliInProcess(['apply', w.planFile, ...APPLY_AT], env, AT_APPLY_CLOCK);
    expect(changed.code).toBe(3);
    expect(changed.stderr).toContain(
      `refusing to apply ${w.planFile}: the config ${config} changed since the plan was made`,
    );
    expect(emu.requests()).toHaveLength(sent);
  });

  it('targets that vanished since the plan are already-absent, and new drift is reported, not acted on', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const w = workdir();
    await runCliInProcess(['plan', '-f', CONFIG, '--save', w.planFile, ...PLAN_AT], env);
    // Someone deleted a contact by hand, and a new spam contact arrived.
    await call(emu.url, 'POST', '/waInstance1101000001/deleteContact/tok-1101000001', {
      body: { chatId: '79876543219@c.us' },
    });
    emu
      .world()
      .instances.get(1101000001)!
      .contacts.set('79876543299@c.us', { id: '79876543299@c.us', name: 'spam-bot-3' });
    const r = await runCliInProcess(['apply', w.planFile, '--journal', w.journal, ...APPLY_AT], env, AT_APPLY_CLOCK);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Apply complete: 12 deleted, 1 already absent, 0 failed (1 logged out, 2 partial).\n');
    expect(r.stderr).toContain(
      'drift (not in the reviewed plan, not acted on): delete-contact green-api.main/instance.1101000001/contact.79876543299@c.us (not kept (prune: true))',
    );
    expect(emu.world().instances.get(1101000001)!.contacts.has('79876543299@c.us')).toBe(true);
    expect(readFileSync(w.journal, 'utf8')).toContain(
      '"address":"green-api.main/instance.1101000001/contact.79876543219@c.us","type":"delete-contact","outcome":"already-absent","attempts":0',
    );
  });

  it('without a plan file it plans and needs --auto-approve when there is no terminal', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const w = workdir();
    const refused = await runCliInProcess(['apply', '-f', CONFIG, ...PLAN_AT], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'no terminal to confirm on: review the plan above, then run again with --auto-approve',
    );
    expect(emu.requests().every((q) => q.method === 'GET' || q.operation === 'getGroupData')).toBe(true);
    const before = worldAddresses(emu);
    const r = await runCliInProcess(['apply', '-f', CONFIG, '--auto-approve', '--journal', w.journal, ...PLAN_AT], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Plan: 10 to delete (4 restorable), 2 groups to leave, 1 instance to delete (after logout) — 9 irreversible.',
    );
    expect(r.stdout).toContain('Apply complete: 13 deleted, 0 already absent, 0 failed');
    expect(worldAddresses(emu)).toEqual(expectedAfter(before));
  });

  it('a failed action does not stop independent ones; its dependents are skipped; exit 1', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const w = workdir();
    await runCliInProcess(['plan', '-f', CONFIG, '--save', w.planFile, ...PLAN_AT], env);
    // Between plan and apply the instance starts rebooting: logout then answers 400 "instance in
    // starting process try later" (Common errors page), and a plan made now would still log it out.
    emu.world().instances.get(1101000003)!.info.state = 'starting';
    const r = await runCliInProcess(['apply', w.planFile, '--journal', w.journal, ...APPLY_AT], env, AT_APPLY_CLOCK);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'Apply complete: 12 deleted, 0 already absent, 1 failed (2 partial, 1 skipped after a failure).\n',
    );
    expect(r.stderr).toContain(
      'failed: logout-instance green-api.main/instance.1101000003 (HTTP 400; instance 1101000003 is starting (up to 5 minutes, GetStateInstance): run plan again later)',
    );
    expect(r.stderr).toContain(
      'skipped: delete-instance green-api.main/instance.1101000003 (not attempted: logout-instance:green-api.main/instance.1101000003 did not succeed)',
    );
    expect(emu.world().instances.get(1101000003)!.info.deleted).toBeFalsy();
    expect(worldAddresses(emu)).not.toContain('wabotify/ws-1/contact.c-8');
    expect(EXAMPLE_REMOVALS.length).toBe(18);
  });
});
