import { afterAll } from 'vitest';
import { forgetSecrets } from '../src/shared/redact.js';
import { stopEmulators } from './helpers/emulator.js';

// Runs before every test file (vitest `setupFiles`). Files of one worker share its module cache
// (`isolate: false`), so each file starts with no registered secret (another file's "token" would
// mask this file's text) and stops the emulators it started.
forgetSecrets(); // before the file is imported: its top level may register secrets
afterAll(stopEmulators);
