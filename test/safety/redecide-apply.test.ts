import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulator } from '../helpers/emulator.js';
import { runCliInProcess } from '../helpers/io.js';

/**
 * Issue 12, point 3: apply re-decides every saved action against the config and a fresh
 * observation. Each case: plan → the world (or a ${VAR}) changes → apply the saved plan.
 */

const PLAN_AT = ['--now', '2026-11-25T12:00:00Z'];
const APPLY_AT = ['--now', '2026-11-25T12:05:00Z'];

// The real clock: five minutes after the plan (a saved plan's expiry is judged by it).
const cli = (argv: string[], env: Record<string, string>) =>
  runCliInProcess(argv, env, { clock: () => new Date('2026-11-25T12:05:00Z') });

function setup(
  url: string,
  collections: string,
): { config: string; planFile: string; journal: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'chatstate-redecide-'));
  const config = join(dir, 'chatstate.yaml');
  writeFileSync(
    config,
    `version: 1\ngreen-api:\n  main:\n    apiUrl: ${url}\n    rateLimits: { deleteContact: 1000/s }\n    instances:\n      1101000001:\n        token: \${T}\n${collections}`,
  );
  return {
    config,
    planFile: join(dir, 'plan.json'),
    journal: join(dir, 'journal.jsonl'),
    env: { T: 'tok-1101000001' },
  };
}

const CONTACTS =
  '        contacts: { remove: ["798765432*"], protect: [{ id: "${VIP:-79876543299}" }, { name: "VIP *" }], keep: [{ id: "${KEEP:-79876543298}" }], safety: { maxDeletePercent: 100 } }\n';

async function planThenApply(w: ReturnType<typeof setup>, between: () => void, applyEnv: Record<string, string> = {}) {
  const planned = await cli(['plan', '-f', w.config, '--save', w.planFile, ...PLAN_AT], w.env);
  expect(planned.code, planned.stderr).toBe(0);
  between();
  return cli(['apply', w.planFile, '-f', w.config, '--journal', w.journal, ...APPLY_AT], { ...w.env, ...applyEnv });
}

const journal = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { address: string; outcome: string; error?: string });
const C = (id: string) => `green-api.main/instance.1101000001/contact.${id}@c.us`;

/** The parts of a saved plan file (formatVersion 3) the hand edits below touch. */
interface SavedPlan {
  collections: { decisions: { ids: string[] } }[];
  actions: { collection: number[]; item: number[]; type: string; target: Record<string, number[]> };
  strings: string[];
}
const stringAt = (p: SavedPlan, s: string): number => {
  if (!p.strings.includes(s)) p.strings.push(s);
  return p.strings.indexOf(s);
};
/** A target column, added (all absent) when no action had the field. */
const targetColumn = (p: SavedPlan, field: string): number[] => {
  p.actions.target[field] ??= p.actions.item.map(() => -1);
  return p.actions.target[field]!;
};

describe('apply re-decides every saved action (issue 12, point 3)', () => {
  it('a ${VAR} in protect or keep that changed after the plan: those contacts are not deleted', async () => {
    const emu = await emulator();
    const w = setup(emu.url, CONTACTS);
    const r = await planThenApply(w, () => {}, { VIP: '79876543219', KEEP: '79876543220' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'Apply complete: 10 deleted, 0 already absent, 0 failed (2 not sent: a plan made now would not make them).\n',
    );
    const contacts = emu.world().instances.get(1101000001)!.contacts;
    expect(contacts.has('79876543219@c.us')).toBe(true);
    expect(contacts.has('79876543220@c.us')).toBe(true);
    expect(contacts.has('79876543221@c.us')).toBe(false);
    const entries = journal(w.journal);
    expect(entries.find((e) => e.address === C('79876543219'))).toEqual(
      expect.objectContaining({
        outcome: 'skipped',
        error: 'not sent: a plan made now would not remove it: protected (protect: {id: 79876543219})',
      }),
    );
    expect(entries.find((e) => e.address === C('79876543220'))).toEqual(
      expect.objectContaining({ outcome: 'skipped', error: expect.stringContaining('keep (keep:') }),
    );
    expect(r.stderr).toContain(`delete-contact ${C('79876543219')}: not sent: a plan made now would not remove it`);
  });

  it('a contact renamed into a protect name pattern is not deleted', async () => {
    const emu = await emulator();
    const w = setup(emu.url, CONTACTS);
    const r = await planThenApply(w, () => {
      emu.world().instances.get(1101000001)!.contacts.get('79876543221@c.us')!.name = 'VIP Old Lead';
    });
    expect(r.stdout).toContain('11 deleted');
    expect(r.stdout).toContain('1 not sent');
    expect(emu.world().instances.get(1101000001)!.contacts.has('79876543221@c.us')).toBe(true);
    expect(journal(w.journal).find((e) => e.address === C('79876543221'))?.error).toBe(
      'not sent: a plan made now would not remove it: protected (protect: {name: VIP *})',
    );
  });

  it('a contact that became the own number is not deleted', async () => {
    const emu = await emulator();
    const w = setup(emu.url, CONTACTS);
    const r = await planThenApply(w, () => {
      emu.world().instances.get(1101000001)!.info.wid = '79876543215@c.us';
    });
    expect(r.stdout).toContain('1 not sent');
    expect(emu.world().instances.get(1101000001)!.contacts.has('79876543215@c.us')).toBe(true);
    expect(journal(w.journal).find((e) => e.address === C('79876543215'))?.error).toContain('protected (own number');
  });

  it('a group whose other admin lost admin rights is not left (the own number would be its last admin)', async () => {
    const emu = await emulator();
    const w = setup(emu.url, '        groups: { remove: ["120363043968066562@g.us"] }\n');
    const r = await planThenApply(w, () => {
      const owner = emu
        .world()
        .instances.get(1101000001)!
        .groups.get('120363043968066562@g.us')!
        .participants.find((p) => p.id === '79876543216@c.us')!;
      owner.isAdmin = false;
      owner.isSuperAdmin = false;
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'Apply complete: 0 deleted, 0 already absent, 0 failed (1 not sent: a plan made now would not make it).\n',
    );
    expect(emu.requests().some((q) => q.operation === 'leaveGroup')).toBe(false);
    expect(journal(w.journal)[0]?.error).toBe(
      'not sent: the own number is now its last admin; a plan made now refuses to leave it',
    );
  });

  // The saved plan is columnar (formatVersion 3): an action names its item by its row in the
  // decisions, its other target fields by indices into the file's strings. Each edit below is the
  // hand edit of that layout that the case names.
  it.each([
    [
      'target.id pointed at another instance (the action moved to the row of a protected instance)',
      'i',
      (p: SavedPlan, k: number) => {
        p.actions.item[k] = p.collections[p.actions.collection[k]!]!.decisions.ids.indexOf('1101000001');
      },
    ],
    [
      'target.instance pointed at another instance',
      'c',
      (p: SavedPlan, k: number) => {
        targetColumn(p, 'instance')[k] = stringAt(p, '1101000002');
      },
    ],
    [
      'target.id of a contact changed (the action moved to the row of a contact not removed)',
      'c',
      (p: SavedPlan, k: number) => {
        p.actions.item[k] = p.collections[p.actions.collection[k]!]!.decisions.ids.indexOf('79876543210@c.us');
      },
    ],
    [
      'target.phoneChatId added to a contact listed by its phone (deleteContact would go to a kept contact)',
      'c',
      (p: SavedPlan, k: number) => {
        targetColumn(p, 'phoneChatId')[k] = stringAt(p, '79876543210@c.us');
      },
    ],
  ] as const)('a hand-edited plan (%s) is refused: nothing is sent', async (_what, letter, edit) => {
    const emu = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-redecide-'));
    const config = join(dir, 'chatstate.yaml');
    writeFileSync(
      config,
      `version: 1\ngreen-api:\n  main:\n    apiUrl: ${emu.url}\n    partner:\n      token: \${P}\n      instances: { remove: [1101000003] }\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { remove: ["79876543219"] }\n`,
    );
    const env = { P: 'gac.partner-1', T: 'tok-1101000001' };
    const planFile = join(dir, 'plan.json');
    expect((await cli(['plan', '-f', config, '--save', planFile, ...PLAN_AT], env)).code).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as SavedPlan;
    const index = plan.actions.type.indexOf(letter);
    expect(index).toBeGreaterThanOrEqual(0);
    const before = JSON.stringify(plan);
    edit(plan, index);
    expect(JSON.stringify(plan)).not.toBe(before);
    writeFileSync(planFile, JSON.stringify(plan));
    const sent = emu.requests().length;
    for (const extra of [[], ['--dry-run']]) {
      const r = await cli(['apply', planFile, '--journal', join(dir, 'j.jsonl'), ...extra, ...APPLY_AT], env);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/contradicts? itself .*nothing was sent/);
      expect(r.stdout).not.toContain('POST');
    }
    expect(
      emu
        .requests()
        .slice(sent)
        .every((q) => q.method === 'GET'),
    ).toBe(true);
    expect(emu.world().instances.get(1101000001)!.info.deleted).toBeFalsy();
    expect(emu.world().instances.get(1101000001)!.contacts.has('79876543210@c.us')).toBe(true);
  });
});
