import { describe, expect, it } from 'vitest';
import { executeActions } from '../../src/apply/execute-actions.js';
import type { AccountConfig } from '../../src/config/model.js';
import type { WabotifyWorkspace } from '../../src/emulator/state.js';
import type { Action, ActionOutcome } from '../../src/model/action.js';
import { connectAccount } from '../../src/providers/registry.js';
import { call, emulator, exampleState } from '../helpers/emulator.js';
import { exampleDesired, testClient } from '../helpers/world.js';

/** Wabotify behaviours from its documentation (docs/providers.md, "Wabotify"), emulator and client together. */

const del = (id: string): Action => ({
  address: `wabotify.sales/contact.${id}`,
  type: 'delete-contact',
  provider: 'wabotify',
  account: 'sales',
  collection: 'wabotify.sales/contacts',
  target: { id },
  reason: 'test',
  warnings: [],
  dependsOn: [],
});

async function world(options: Partial<Pick<WabotifyWorkspace, 'deleteBatchBody' | 'batchOn404'>> = {}) {
  const state = exampleState();
  Object.assign(state.wabotify!.workspaces![0]!, options);
  const emu = await emulator({ state });
  const http = testClient();
  const account = exampleDesired(emu.url).accounts.find((a) => a.provider === 'wabotify') as AccountConfig;
  const session = connectAccount(account, { http, concurrency: 4 });
  const contacts = () => [...emu.world().workspaces.get('ws-1')!.contacts.keys()];
  return { emu, http, session, contacts };
}

const byAddress = (outcomes: readonly ActionOutcome[]) => outcomes.map((o) => [o.address, o.outcome]);

describe('Wabotify delete-batch: a success with or without a body', () => {
  it('the emulator answers 200 with the wrapper, or 200 with an empty body when the state says so', async () => {
    const headers = { authorization: 'Bearer wab-key-1', 'x-workspace-id': 'ws-1' };
    const body = (id: string) => ({ workspaceId: 'ws-1', contactIds: [{ ids: id }] });
    const wrapped = await world();
    const a = await call(wrapped.emu.url, 'POST', '/api/contact/delete-batch', { headers, body: body('c-1') });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ success: true, data: null });
    const empty = await world({ deleteBatchBody: 'empty' });
    const b = await call(empty.emu.url, 'POST', '/api/contact/delete-batch', { headers, body: body('c-1') });
    expect(b.status).toBe(200);
    expect(b.text).toBe('');
    expect(empty.contacts()).not.toContain('c-1');
    await Promise.all([wrapped.http.close(), empty.http.close()]);
  });

  it('the client reports done for an empty 200, and the next observation confirms the contacts are gone', async () => {
    const { http, session, contacts } = await world({ deleteBatchBody: 'empty' });
    const outcomes = await session.execute([del('c-1'), del('c-2')]);
    expect(byAddress(outcomes)).toEqual([
      ['wabotify.sales/contact.c-1', 'done'],
      ['wabotify.sales/contact.c-2', 'done'],
    ]);
    const [observed] = await session.observe([{ address: 'wabotify.sales/contacts', kind: 'contacts' }], {
      now: new Date(),
      mayRemove: () => new Set(),
    });
    expect(observed!.items.map((i) => i.id)).not.toContain('c-1');
    expect(contacts()).not.toContain('c-2');
    await http.close();
  });
});

describe('Wabotify: a batch naming a contact that vanished (undocumented: all-or-nothing or not)', () => {
  for (const mode of ['all-or-nothing', 'delete-found'] as const) {
    it(`${mode}: re-observes, sends again only what remains, and deletes exactly the batch`, async () => {
      const { emu, http, session, contacts } = await world({ batchOn404: mode });
      emu.world().workspaces.get('ws-1')!.contacts.delete('c-2');
      const outcomes = await session.execute([del('c-1'), del('c-2'), del('c-3')]);
      // Outcomes line up with the actions, whatever order the retries took.
      expect(outcomes.map((o) => o.address)).toEqual([
        'wabotify.sales/contact.c-1',
        'wabotify.sales/contact.c-2',
        'wabotify.sales/contact.c-3',
      ]);
      expect(outcomes.every((o) => o.outcome === 'done' || o.outcome === 'already-absent')).toBe(true);
      const before = exampleState().wabotify!.workspaces![0]!.contacts!.map((c) => c.id);
      expect(contacts()).toEqual(before.filter((id) => !['c-1', 'c-2', 'c-3'].includes(id)));
      expect(contacts()).not.toContain('c-1');
      expect(contacts()).not.toContain('c-3');
      expect(contacts()).toContain('c-4');
      const batches = emu.requests().filter((r) => r.operation === 'deleteContactBatch');
      if (mode === 'all-or-nothing') {
        // The first batch deleted nothing: c-2 was already absent, c-1 and c-3 went in the second batch.
        expect(outcomes.map((o) => o.outcome)).toEqual(['done', 'already-absent', 'done']);
        expect(batches.map((r) => r.status)).toEqual([404, 200]);
      } else {
        // The first batch deleted c-1 and c-3 and still answered 404: nothing is left to send.
        expect(batches.map((r) => r.status)).toEqual([404]);
        expect(outcomes[0]).toMatchObject({ outcome: 'done', detail: expect.stringMatching(/404/) });
      }
      await http.close();
    });
  }

  it('the applier records each outcome under its own action (issue 12: no swap of done and already-absent)', async () => {
    const { emu, http, session } = await world();
    emu.world().workspaces.get('ws-1')!.contacts.delete('c-2');
    const actions = [del('c-1'), del('c-2'), del('c-3')];
    const seen: [string, string][] = [];
    const result = await executeActions(actions, {
      sessions: new Map([['wabotify.sales', session]]),
      concurrency: 1,
      onOutcome: (action, outcome) => seen.push([action.target.id, outcome.outcome]),
    });
    expect(seen).toEqual([
      ['c-1', 'done'],
      ['c-2', 'already-absent'],
      ['c-3', 'done'],
    ]);
    for (const a of actions) expect(result.outcomes.get(`delete-contact:${a.address}`)!.address).toBe(a.address);
    await http.close();
  });
});
