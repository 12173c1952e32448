import { describe, expect, it } from 'vitest';
import { planActions } from '../../src/plan/plan.js';
import { collection, NOW, plan } from '../helpers/builders.js';
import { emulator } from '../helpers/emulator.js';
import { desiredFrom, observeAll, testClient } from '../helpers/world.js';

const OPTIONS = { now: NOW, validForMs: 3_600_000, allowMassDelete: true, toolVersion: 'test' };

async function planAgainst(url: string, body: string, env: Record<string, string>, targets: string[] = []) {
  const desired = desiredFrom(`version: 1\n${body.replaceAll('URL', url)}`, env);
  const http = testClient();
  try {
    return planActions(desired, await observeAll(desired, http), { ...OPTIONS, targets });
  } finally {
    await http.close();
  }
}

const GREEN = `green-api:\n  main:\n    apiUrl: URL\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [79876543210@c.us] }\n`;

describe('observed ids are checked centrally, before planning (issue 12)', () => {
  it.each([
    ['wrong case', '79876543299@C.US'],
    ['a space', ' 79876543299@c.us'],
    ['fullwidth digits', '７９８７６５４３２９９@c.us'],
    ['a zero-width space', '79876543299\u200b@c.us'],
  ])('an id with %s fails the collection: nothing is planned from it', async (_what, id) => {
    const emu = await emulator();
    emu.world().instances.get(1101000001)!.contacts.set(id, { id, name: 'odd' });
    const p = await planAgainst(emu.url, GREEN, { T: 'tok-1101000001' });
    expect(p.actions).toEqual([]);
    expect(p.errors).toEqual([
      {
        collection: 'green-api.main/instance.1101000001/contacts',
        message: expect.stringContaining('not valid contacts ids'),
      },
    ]);
  });

  it('duplicate observed ids count once: forty copies of a kept id do not dilute the brake', () => {
    const desired = desiredFrom(
      `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: \${T}\n        contacts: { prune: true, keep: [79876543210@c.us] }\n`,
      { T: 'tok' },
    );
    const kept = Array.from({ length: 40 }, (): [string] => ['79876543210@c.us']);
    const others = Array.from({ length: 9 }, (_, i): [string] => [`7987654330${i}@c.us`]);
    const p = plan(desired, [collection('green-api.main/instance.1101000001/contacts', [...kept, ...others])]);
    expect(p.collections[0]!.counts.observed).toBe(10);
    expect(p.refusals.map((r) => r.message)).toEqual([expect.stringContaining('refusing to remove 9 of 10 contacts')]);
    expect(p.warnings).toContainEqual({
      address: 'green-api.main/instance.1101000001/contacts',
      message: 'the provider listed 39 duplicate ids; each counts once',
    });
  });

  it('--target matches whole address segments: contact.c-1 never selects the contact c-1/evil', async () => {
    const emu = await emulator();
    const ws = emu.world().workspaces.get('ws-1')!;
    ws.contacts.set('c-1/evil', {
      seq: 100,
      contact: { id: 'c-1/evil', name: 'Evil', lastname: 'Twin', platformId: 2 } as never,
    });
    const body = `wabotify:\n  s:\n    workspaceId: ws-1\n    apiKey: \${K}\n    apiUrl: URL\n    contacts: { remove: ["c-1*"] }\n`;
    const all = await planAgainst(emu.url, body, { K: 'wab-key-1' });
    expect(all.actions).toHaveLength(8);
    expect(all.actions.map((a) => [a.address, a.target.id])).toContainEqual([
      'wabotify.s/contact.c-1%2Fevil',
      'c-1/evil',
    ]);
    const one = await planAgainst(emu.url, body, { K: 'wab-key-1' }, ['wabotify.s/contact.c-1']);
    expect(one.actions.map((a) => a.target.id)).toEqual(['c-1']);
  });
});
