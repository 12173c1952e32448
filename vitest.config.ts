import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores on CI: keep forks bounded so emulator-heavy files do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
    // GitHub's workflow parser imports JSON without import attributes, which Node 20 refuses:
    // let vite transform it instead of loading it natively.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
