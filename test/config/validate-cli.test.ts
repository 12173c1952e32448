import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { EXAMPLE_ENV } from '../helpers/world.js';

describe('chatstate validate', () => {
  it('prints a one-line summary and exits 0 for a valid file', async () => {
    const r = await runCliInProcess(['validate', '-f', 'examples/chatstate.yaml'], { env: EXAMPLE_ENV });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      'examples/chatstate.yaml: valid: 3 accounts (green-api.main, wabotify.sales, 2chat.support), 7 managed collections\n',
    );
  });

  it('reads CHATSTATE_CONFIG when -f is not given', async () => {
    const r = await runCliInProcess(['validate'], {
      env: { ...EXAMPLE_ENV, CHATSTATE_CONFIG: 'examples/wabotify.yaml' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('examples/wabotify.yaml: valid');
  });

  it('lists every error sorted by position on stderr and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-validate-'));
    const file = join(dir, 'chatstate.yaml');
    writeFileSync(file, 'version: 1\nwabotify:\n  w:\n    workspaceId: ws\n    apiKey: ${NOPE}\n    contcts: {}\n');
    const r = await runCliInProcess(['validate', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      `${file}:5:13: error: environment variable NOPE is not set; export it with the secret's value (secrets have no default in the file)`,
      `${file}:6:5: error: unknown key \`contcts\` in \`wabotify.w\`; did you mean \`contacts\`?`,
      '2 errors; fix them and run again.',
      '',
    ]);
  });

  it('--format json prints errors for editors and CI annotations; --skip-env ignores the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-validate-'));
    const file = join(dir, 'chatstate.yaml');
    writeFileSync(file, 'version: 1\nwabotify:\n  w:\n    workspaceId: ws\n    apiKey: ${NOPE}\n');
    const json = await runCliInProcess(['validate', '-f', file, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      valid: false,
      file,
      errors: [
        {
          file,
          line: 5,
          col: 13,
          severity: 'error',
          message:
            "environment variable NOPE is not set; export it with the secret's value (secrets have no default in the file)",
        },
      ],
    });
    const skip = await runCliInProcess(['validate', '-f', file, '--format', 'json', '--skip-env']);
    expect(skip.code).toBe(0);
    expect(JSON.parse(skip.stdout)).toMatchObject({ valid: true, accounts: ['wabotify.w'], errors: [] });
  });

  it('says what to do when the file does not exist', async () => {
    const r = await runCliInProcess(['validate', '-f', 'nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'nope.yaml:1:1: error: no such file; create it (see examples/), pass -f FILE, or run `chatstate export`',
    );
  });
});
