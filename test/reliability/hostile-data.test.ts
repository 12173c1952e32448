import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { emulator, exampleState } from '../helpers/emulator.js';

const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007\u001b[31mRED';
const MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)> **bold** [click](https://evil.example) @everyone';
const HUGE = 'A'.repeat(20_000);
const BIDI = 'invoice\u202etxt.exe';

describe('hostile data from providers is rendered inert', () => {
  it('terminal escapes, Markdown/HTML injection, huge names, bidi tricks and confusable ids', async () => {
    const state = exampleState();
    const ws = state.wabotify!.workspaces![0]!;
    ws.contacts = [
      { id: 'c-1', name: 'Legit' },
      { id: 'с-1', name: 'Cyrillic es' }, // U+0441, looks like c-1
      { id: 'c-2', name: ESCAPES },
      { id: 'c-3', name: MARKUP },
      { id: 'c-4', name: HUGE },
      { id: 'c-5', name: BIDI },
    ];
    const emu = await emulator({ state });
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-hostile-'));
    const config = join(dir, 'c.yaml');
    writeFileSync(
      config,
      `version: 1\nwabotify:\n  w:\n    workspaceId: ws-1\n    apiKey: \${K}\n    apiUrl: ${emu.url}\n    contacts: { prune: true, keep: [c-1] }\n`,
    );
    const env = { K: 'wab-key-1' };

    const text = await runCliInProcess(['plan', '-f', config, '--allow-mass-delete'], {
      env: { ...env, FORCE_COLOR: '0' },
    });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/\u001b|\u0007|\u202e/);
    expect(text.stdout).toContain('\\u{1b}[2J');
    expect(text.stdout).toContain('delete contact с-1 [non-ASCII: \\u{441}-1] ("Cyrillic es")');
    expect(Math.max(...text.stdout.split('\n').map((l) => l.length))).toBeLessThan(400);

    const md = await runCliInProcess(['plan', '-f', config, '--allow-mass-delete', '--format', 'markdown'], { env });
    const html = await marked.parse(md.stdout);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<strong>bold</strong>');
    expect(html).not.toMatch(/<a href="https:\/\/evil/);
    expect(md.stdout).not.toContain(HUGE.slice(0, 1000));
    expect(md.stdout).toContain('[non-ASCII: \\u{441}-1]');

    const json = await runCliInProcess(['plan', '-f', config, '--allow-mass-delete', '--format', 'json'], { env });
    // JSON keeps the data exact (machines need it) but escaped by JSON itself: no raw control bytes.
    expect(json.stdout).not.toMatch(/\u001b|\u0007/);
    const plan = JSON.parse(json.stdout) as { actions: { target: { id: string; name?: string } }[] };
    expect(plan.actions.find((a) => a.target.id === 'c-2')?.target.name).toBe(ESCAPES);
    expect(plan.actions.map((a) => a.target.id)).toContain('с-1');
    expect(plan.actions.map((a) => a.target.id)).not.toContain('c-1');
  });
});
