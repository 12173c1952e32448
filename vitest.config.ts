import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous bounds, not speed checks: a shared 2-core machine under load must not turn a slow run
    // into a failure (speed is measured by bench/, which prints figures).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores on CI: keep forks bounded so emulator-heavy files do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
    // Files of one worker share its module cache: the project is imported and transformed once per
    // worker instead of once per file (that alone was half of the suite's time). The price is that
    // no test may leave global state behind (process.env, cwd, timers); test/setup.ts runs per file.
    isolate: false,
    setupFiles: ['test/setup.ts'],
    // GitHub's workflow parser imports JSON without import attributes, which Node 20 refuses:
    // let vite transform it instead of loading it natively.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
