#!/usr/bin/env node
import { runCli } from './run.js';

// The only place that touches process exit state and signals: everything else returns values.
runCli(process.argv.slice(2)).then(
  (result) => {
    if (typeof result === 'number') {
      process.exitCode = result;
      return;
    }
    const shutdown = (): void => {
      void result.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  },
  (err: unknown) => {
    process.stderr.write(`chatstate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
