import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli.js';

describe('process-level behaviour (needs a real process)', () => {
  it('a reader that goes away (chatstate demo | head -c 1) ends the process quietly with its exit code', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--format', 'json', '--quiet'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'], NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error|internal error/);
  });
});
