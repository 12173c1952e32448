import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCliInProcess } from '../helpers/cli.js';
import { EXAMPLE_STATE_FILE, emulator } from '../helpers/emulator.js';
import { exampleEnv } from '../helpers/world.js';

const NOW = ['--now', '2026-11-25T12:00:00Z'];
type Rec = Record<string, unknown>;

/** Every person's name and every phone number of the example world (group subjects and instance or number labels are not personal). */
function personalData(): { names: string[]; phones: string[] } {
  const world = parse(readFileSync(EXAMPLE_STATE_FILE, 'utf8')) as Rec;
  const names = new Set<string>();
  const phones = new Set<string>();
  const phone = (s: unknown) => {
    const digits = String(s)
      .replace(/@(c\.us|lid)$/, '')
      .replace(/^\+/, '');
    if (/^[0-9]{7,15}$/.test(digits)) phones.add(digits);
  };
  const green = world['green-api'] as { instances: Rec[] };
  for (const i of green.instances) {
    phone(i['wid']);
    for (const c of (i['contacts'] as Rec[] | undefined) ?? []) {
      phone(c['id']);
      for (const k of ['name', 'contactName']) if (typeof c[k] === 'string') names.add(c[k] as string);
    }
    for (const g of (i['groups'] as Rec[] | undefined) ?? [])
      for (const p of (g['participants'] as Rec[]) ?? []) phone(p['id']);
  }
  for (const w of (world['wabotify'] as { workspaces: Rec[] }).workspaces) {
    for (const c of w['contacts'] as Rec[]) {
      names.add(`${String(c['name'])} ${String(c['lastname'])}`);
      phone(c['platformSenderPhone']);
    }
  }
  for (const a of (world['2chat'] as { accounts: Rec[] }).accounts) {
    for (const n of a['numbers'] as Rec[]) {
      phone(n['phone_number']);
      for (const m of (n['messages'] as Rec[]) ?? []) phone(m['remote']);
    }
    for (const c of a['contacts'] as Rec[]) {
      names.add(`${String(c['first_name'])} ${String(c['last_name'])}`);
      phone(c['phone']);
    }
  }
  // One-word names that are also ordinary words of the output are checked as part of longer names only.
  return { names: [...names].filter((n) => n.length >= 4 && !/^spam-bot/.test(n)), phones: [...phones] };
}

function leaks(output: string, data: { names: string[]; phones: string[] }): string[] {
  const digits = output.replace(/[ ().-]/g, '');
  return [...data.phones.filter((p) => digits.includes(p)), ...data.names.filter((n) => output.includes(n))];
}

describe('masking: no full phone number or name of the example world is printed', { timeout: 120_000 }, () => {
  const data = personalData();
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    const emu = await emulator();
    env = exampleEnv(emu.url);
    dir = mkdtempSync(join(tmpdir(), 'chatstate-mask-'));
  });

  it('the check finds them when masking is off (so it can fail)', async () => {
    const r = await runCliInProcess(['plan', '-f', 'examples/chatstate.yaml', '--format', 'markdown', ...NOW], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(data.phones.length).toBeGreaterThan(20);
    expect(data.names).toContain('Jane Doe');
    expect(leaks(r.stdout, data).length).toBeGreaterThan(5);
  });

  it.each([['text'], ['markdown'], ['json']])('plan --format %s --mask', async (format) => {
    const r = await runCliInProcess(
      [
        'plan',
        '-f',
        'examples/chatstate.yaml',
        '--format',
        format,
        '--mask',
        '--save',
        join(dir, `${format}.json`),
        ...NOW,
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(leaks(r.stdout + r.stderr, data)).toEqual([]);
    // Group subjects, instance ids and counts stay readable.
    expect(r.stdout).toContain('Weekend football');
    expect(r.stdout).toContain('1101000003');
    if (format === 'markdown') expect(r.stdout).toContain('-7 987 ••••• 19@c.us  s•••-b••-1');
    // The plan file keeps the full data: apply needs it.
    expect(readFileSync(join(dir, `${format}.json`), 'utf8')).toContain('79876543219@c.us');
  });

  it('privacy: { mask: true } in the config masks without the flag; --no-mask prints in full', async () => {
    const config = join(dir, 'private.yaml');
    writeFileSync(
      config,
      `${readFileSync(join(ROOT, 'examples', 'chatstate.yaml'), 'utf8')}\nprivacy: { mask: true }\n`,
    );
    const masked = await runCliInProcess(['plan', '-f', config, '--format', 'markdown', ...NOW], { env });
    expect(masked.code, masked.stderr).toBe(0);
    expect(leaks(masked.stdout, data)).toEqual([]);
    const full = await runCliInProcess(['plan', '-f', config, '--format', 'markdown', '--no-mask', ...NOW], { env });
    expect(full.stdout).toContain('-79876543219@c.us  spam-bot-1');
  });

  it('apply --dry-run --mask and export --diff --mask', async () => {
    const planFile = join(dir, 'apply.json');
    // apply judges a saved plan's age by the real clock: plan now.
    expect((await runCliInProcess(['plan', '-f', 'examples/chatstate.yaml', '--save', planFile], { env })).code).toBe(
      0,
    );
    const dry = await runCliInProcess(['apply', planFile, '-f', 'examples/chatstate.yaml', '--dry-run', '--mask'], {
      env,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run:');
    expect(leaks(dry.stdout + dry.stderr, data)).toEqual([]);
    const unmasked = await runCliInProcess(['apply', planFile, '-f', 'examples/chatstate.yaml', '--dry-run'], { env });
    expect(leaks(unmasked.stdout, data).length).toBeGreaterThan(0);

    const diff = await runCliInProcess(['export', '-f', 'examples/chatstate.yaml', '--diff', '--mask'], { env });
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('@@');
    expect(leaks(diff.stdout + diff.stderr, data)).toEqual([]);
    const plain = await runCliInProcess(['export', '-f', 'examples/chatstate.yaml', '--diff'], { env });
    expect(leaks(plain.stdout, data).length).toBeGreaterThan(0);
    expect(plain.stdout.split('\n').filter((l) => /^[-+@ ]/.test(l)).length).toBe(
      diff.stdout.split('\n').filter((l) => /^[-+@ ]/.test(l)).length,
    );
  });
});
