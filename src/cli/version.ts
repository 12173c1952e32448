import { readFileSync } from 'node:fs';

/** The package's version, read once from package.json beside dist/ and src/. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The package root (for bundled examples used by `demo`). */
export const PACKAGE_ROOT = new URL('../../', import.meta.url);
