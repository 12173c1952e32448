import type { GreenApiAccountConfig } from '../../config/model.js';
import type { Provider } from '../types.js';
import { executeGreen, greenRequest } from './execute.js';
import { observeGreenApi } from './observe.js';
import { GreenWire } from './wire.js';

/** GREEN-API: instance API (contacts, groups, logout) and partner API (instances). */
export const greenApiProvider: Provider<GreenApiAccountConfig> = {
  type: 'green-api',
  connect(account, deps) {
    const wire = new GreenWire(account, deps.http);
    return {
      observe: (refs, hooks) => observeGreenApi(wire, refs, hooks, deps.concurrency),
      requestsFor: (actions) => actions.map((a) => greenRequest(wire, a, true)),
      execute: async (actions) => Promise.all(actions.map((a) => executeGreen(wire, a))),
      maxBatch: () => 1,
    };
  },
};
