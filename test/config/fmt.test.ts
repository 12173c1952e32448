import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfig } from '../../src/config/format.js';
import { runCliInProcess } from '../helpers/cli.js';

const MESSY = `# yaml-language-server: $schema=../schemas/chatstate.schema.json
# Top comment stays on top.
wabotify:
  sales:
    contacts: { remove: [c-9, c-10, c-1] } # trailing comment
    apiKey: \${WABOTIFY_API_KEY}
    workspaceId: ws-1
green-api:
  zeta:
    instances:
      22: { token: "\${T22}" }
      3: { token: "\${T3}" }
  alpha:
    instances:
      1101000001:
        groups: { remove: [2-2@g.us] }
        # contacts we keep
        contacts:
          keep:
            - 79876543219@c.us # Zed
            - { name: Team * }
            - 79876543210@c.us # Alice
          prune: true
        token: \${T1}
version: 1
`;

describe('fmt', () => {
  it('puts keys in canonical order, sorts accounts, ids and lists, and keeps every comment', () => {
    const out = formatConfig('c.yaml', MESSY);
    expect(out).toBe(`# yaml-language-server: $schema=../schemas/chatstate.schema.json
# Top comment stays on top.
version: 1
green-api:
  alpha:
    instances:
      1101000001:
        token: \${T1}
        # contacts we keep
        contacts:
          prune: true
          keep:
            - 79876543210@c.us # Alice
            - 79876543219@c.us # Zed
            - { name: Team * }
        groups: { remove: [ 2-2@g.us ] }
  zeta:
    instances:
      3: { token: "\${T3}" }
      22: { token: "\${T22}" }
wabotify:
  sales:
    workspaceId: ws-1
    apiKey: \${WABOTIFY_API_KEY}
    contacts: { remove: [ c-1, c-10, c-9 ] } # trailing comment
`);
  });

  it('is idempotent', () => {
    const once = formatConfig('c.yaml', MESSY);
    expect(formatConfig('c.yaml', once)).toBe(once);
  });

  it('fmt --check prints a unified diff and exits 1; fmt rewrites; then --check exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-fmt-'));
    const file = join(dir, 'chatstate.yaml');
    writeFileSync(file, MESSY);
    const check = await runCliInProcess(['fmt', '--check', file]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`--- ${file}\tcurrent`);
    expect(check.stdout).toContain('+version: 1');
    expect(readFileSync(file, 'utf8')).toBe(MESSY);
    const fix = await runCliInProcess(['fmt', file]);
    expect(fix).toMatchObject({ code: 0, stdout: `${file}\n` });
    expect(await runCliInProcess(['fmt', '--check', file])).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses to format a file that is not valid YAML, with file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-fmt-'));
    const file = join(dir, 'chatstate.yaml');
    writeFileSync(file, 'version: 1\nsafety: [\n');
    const r = await runCliInProcess(['fmt', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: error: `));
  });

  it('the examples are in canonical form', async () => {
    const r = await runCliInProcess([
      'fmt',
      '--check',
      'examples/chatstate.yaml',
      'examples/green-api.yaml',
      'examples/wabotify.yaml',
      'examples/2chat.yaml',
    ]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });
});
