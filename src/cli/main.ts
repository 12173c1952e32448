#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './run.js';

// The only place that touches process exit state and signals: everything else returns values.
const controller = new AbortController();
let graceful = false;
let stopLongRunning: (() => Promise<void>) | undefined;
let signals = 0;

function onSignal(): void {
  signals++;
  if (stopLongRunning) {
    void stopLongRunning().then(() => process.exit(0));
    return;
  }
  // A second signal, or a command that does not stop gracefully: leave now.
  if (!graceful || signals > 1) process.exit(130);
  process.stderr.write('\nchatstate: interrupted; finishing requests in flight (press Ctrl-C again to abandon them)\n');
  controller.abort();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// `chatstate plan | head`: a reader that goes away is not an error of ours; stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const io = processIo({
  signal: controller.signal,
  handled: () => {
    graceful = true;
  },
});

runCli(process.argv.slice(2), io).then(
  (result) => {
    if (typeof result === 'number') {
      process.exitCode = result;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      return;
    }
    stopLongRunning = result.stop;
  },
  (err: unknown) => {
    process.stderr.write(
      `chatstate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
