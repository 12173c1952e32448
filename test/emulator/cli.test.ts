import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_STATE_FILE } from '../helpers/emulator.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('chatstate emulator (the process)', () => {
  it('prints "listening on http://127.0.0.1:PORT" first, serves, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--state', EXAMPLE_STATE_FILE, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.replace('listening on ', '');
      const r = await fetch(`${url}/waInstance1101000001/getStateInstance/tok-1101000001`);
      expect(await r.json()).toEqual({ stateInstance: 'authorized' });
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('refuses a bad state file with file:line:col and exit status 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'wabotify:\n  workspaces:\n    - { id: w }\n');
    const child = spawn(process.execPath, [CLI, 'emulator', '--state', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:3:7: error: \`wabotify.workspaces.0\` is missing the required key \`apiKey\``);
  });

  it('refuses a malformed --rate-limit with a usage error', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'emulator', '--state', EXAMPLE_STATE_FILE, '--rate-limit', 'deleteContact=fast'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(stderr).toMatch(/--rate-limit takes NAME=N\/s/);
  });
});
