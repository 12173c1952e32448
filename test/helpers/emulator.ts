import { fileURLToPath } from 'node:url';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type EmulatorState, loadEmulatorState } from '../../src/emulator/state.js';

export const EXAMPLE_STATE_FILE = fileURLToPath(new URL('../../examples/emulator-state.yaml', import.meta.url));

export function exampleState(): EmulatorState {
  return loadEmulatorState(EXAMPLE_STATE_FILE);
}

const running: RunningEmulator[] = [];

/**
 * Stops every emulator `emulator()` started. test/setup.ts runs it after each test file: test files
 * share one module cache per worker (vitest `isolate: false`), so a hook registered here at import
 * would run after the first file only.
 */
export async function stopEmulators(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.stop()));
}

/** Starts an emulator on 127.0.0.1:0 that is stopped after the test file. Limits are off unless given. */
export async function emulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const e = await startEmulator({ state: exampleState(), rateLimits: { '*': 'off' }, ...options });
  running.push(e);
  return e;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** A plain HTTP request (the tests of the emulator do not use chatstate's own client). */
export async function call(
  base: string,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
