import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden } from '../helpers/golden.js';

describe('golden files', () => {
  it('a missing golden fails and is not written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-golden-'));
    expect(() => golden('absent.txt', 'x', dir, {})).toThrow(/golden file .*absent\.txt is missing/);
    expect(existsSync(join(dir, 'absent.txt'))).toBe(false);
  });

  it('UPDATE_GOLDEN=1 writes it; then it compares', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatstate-golden-'));
    golden('new.txt', 'hello\n', dir, { UPDATE_GOLDEN: '1' });
    expect(readFileSync(join(dir, 'new.txt'), 'utf8')).toBe('hello\n');
    golden('new.txt', 'hello\n', dir, {});
  });
});
