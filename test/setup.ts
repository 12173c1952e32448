import { afterAll } from 'vitest';
import { stopEmulators } from './helpers/emulator.js';

// Runs before every test file (vitest `setupFiles`), so each file stops the emulators it started.
afterAll(stopEmulators);
