import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './cli.js';

const GOLDEN_DIR = join(ROOT, 'test', 'golden');

/**
 * Compares `actual` with test/golden/NAME. The file is written only with `UPDATE_GOLDEN=1` (review
 * the diff before committing); a missing golden fails, so a test can never pass by writing its own
 * expectation.
 */
export function golden(name: string, actual: string, dir = GOLDEN_DIR, env: NodeJS.ProcessEnv = process.env): void {
  const file = join(dir, name);
  if (env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
  if (!existsSync(file))
    throw new Error(`golden file ${file} is missing: run UPDATE_GOLDEN=1 npx vitest run, review it, commit it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
