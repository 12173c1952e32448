import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCliInProcess } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { exampleEnv } from '../helpers/world.js';

const NOW = ['--now', '2026-11-25T12:00:00Z'];
const EXAMPLE = readFileSync(join(ROOT, 'examples', 'chatstate.yaml'), 'utf8');

describe('plan --base, --exclude and validate --no-env-check (end to end)', { timeout: 120_000 }, () => {
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    const emu = await emulator();
    env = exampleEnv(emu.url);
    dir = mkdtempSync(join(tmpdir(), 'chatstate-flags-'));
  });

  it('--base: removing what the target branch protects is refused (exit 3), with the remedy; no plan file', async () => {
    // On the target branch the weekend-football group is protected; the pull request drops the
    // protection and removes the group in the same change.
    const base = join(dir, 'base.yaml');
    writeFileSync(
      base,
      EXAMPLE.replace(
        '          prune: false\n          remove:\n            - 11001234567-1587570015@g.us # Promo 2020 (old)\n            - 120363043968066563@g.us # Weekend football',
        '          prune: false\n          protect: [120363043968066563@g.us]\n          remove:\n            - 11001234567-1587570015@g.us # Promo 2020 (old)',
      ),
    );
    expect(readFileSync(base, 'utf8')).toContain('protect: [120363043968066563@g.us]');
    const planFile = join(dir, 'refused.json');
    const r = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--base', base, '--save', planFile, ...NOW],
      { env },
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain(
      'refusing to remove green-api.main/instance.1101000001/group.120363043968066563@g.us ("Weekend football"): `protect: 120363043968066563@g.us` covers it in',
    );
    expect(r.stderr).toContain('remove the protect entry in its own pull request first');
    expect(() => readFileSync(planFile)).toThrow();
    // The same change against a base without that protection plans normally.
    const ok = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--base', 'examples/chatstate.yaml', ...NOW],
      { env },
    );
    expect(ok.code, ok.stderr).toBe(0);
    // The refusal is in the pull-request comment too.
    const noSecrets = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--base', base, '--format', 'markdown', ...NOW],
      { env },
    );
    expect(noSecrets.stdout).toContain('#### Refused');
  });

  it('--exclude leaves matching addresses out (repeatable), and is recorded in the plan', async () => {
    const r = await runCliInProcess(
      [
        'plan',
        '-f',
        'examples/chatstate.yaml',
        '--format',
        'json',
        '--exclude',
        '*contact.79876543219@c.us',
        '--exclude',
        'wabotify.sales',
        ...NOW,
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { actions: { address: string }[]; excludes: string[] };
    const addresses = plan.actions.map((a) => a.address);
    expect(addresses).not.toContain('green-api.main/instance.1101000001/contact.79876543219@c.us');
    expect(addresses).toContain('green-api.main/instance.1101000001/contact.79876543220@c.us');
    expect(addresses.some((a) => a.startsWith('wabotify.'))).toBe(false);
    expect(plan.excludes).toEqual(['*contact.79876543219@c.us', 'wabotify.sales']);
    const text = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--exclude', 'wabotify.sales', ...NOW],
      { env },
    );
    expect(text.stdout).toContain('--exclude wabotify.sales');
  });

  it('a saved plan is applied as reviewed: apply PLANFILE refuses --exclude', async () => {
    const planFile = join(dir, 'p.json');
    expect((await runCliInProcess(['plan', '-f', 'examples/chatstate.yaml', '--save', planFile], { env })).code).toBe(
      0,
    );
    const r = await runCliInProcess(
      ['apply', planFile, '-f', 'examples/chatstate.yaml', '--exclude', 'wabotify.sales', '--dry-run'],
      { env },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--exclude narrows a new plan');
  });

  it('validate --no-env-check passes without secrets; without it the missing variables are errors', async () => {
    const ok = await runCliInProcess(['validate', '-f', 'examples/chatstate.yaml', '--no-env-check'], { env: {} });
    expect(ok.code, ok.stderr).toBe(0);
    const missing = await runCliInProcess(['validate', '-f', 'examples/chatstate.yaml'], { env: {} });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('GREEN_API_PARTNER_TOKEN');
    // Everything else is still checked.
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, EXAMPLE.replace('prune: true', 'prune: maybe'));
    const bad = await runCliInProcess(['validate', '-f', broken, '--no-env-check'], { env: {} });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/broken\.yaml:\d+:\d+: error/);
  });

  it('--max-chars bounds the Markdown comment', async () => {
    const r = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--format', 'markdown', '--max-chars', '3000', ...NOW],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(3000);
    expect(r.stdout.trimEnd()).toMatch(/… and \d+ more: see the plan artifact$/);
    const bad = await runCliInProcess(
      ['plan', '-f', 'examples/chatstate.yaml', '--format', 'markdown', '--max-chars', 'lots', ...NOW],
      { env },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--max-chars must be a whole number');
  });
});
