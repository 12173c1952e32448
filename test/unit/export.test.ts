import { describe, expect, it } from 'vitest';
import type { Desired } from '../../src/config/model.js';
import { type ExportedAccount, exportConfig } from '../../src/engine/export.js';
import { unmentioned } from '../../src/engine/export-refresh.js';
import type { ObservedCollection } from '../../src/model/observed.js';
import { managedCollections } from '../../src/plan/managed.js';
import { collection, NOW, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * export's document work (engine/export.ts, export-refresh.ts over config/edit.ts), pure: observed
 * collections in, YAML text out. The test of an export is what a plan of its output does with the
 * same world: a fresh export keeps everything; a refresh stops only the removals the file did not ask for.
 */

const GA = 'green-api.main';
const I1 = `${GA}/instance.1101000001`;
const I2 = `${GA}/instance.1101000002`;
const ENV = { GREEN_API_PARTNER_TOKEN: 'p', GREEN_API_TOKEN_1101000001: 't1', TWOCHAT_API_KEY: 'k' };

const accountsOf = (desired: Desired, collections: ObservedCollection[]): ExportedAccount[] =>
  desired.accounts.map((account) => ({
    account,
    collections: collections.filter((c) => c.ref.address.startsWith(`${account.provider}.${account.name}/`)),
  }));

const removals = (text: string, observed: ObservedCollection[]) =>
  plan(desiredFrom(text, ENV), observed, { allowMassDelete: true }).actions.map((a) => `${a.type} ${a.address}`);

describe('export of a new config (full keep lists)', () => {
  const seed = [
    'version: 1',
    'green-api:',
    '  main:',
    '    apiUrl: ${GREEN_API_URL:-https://api.green-api.com}',
    '    partner:',
    '      token: ${GREEN_API_PARTNER_TOKEN}',
    '    instances:',
    '      1101000001:',
    '        token: ${GREEN_API_TOKEN_1101000001}',
    '',
  ].join('\n');
  const observed = [
    collection(`${GA}/instances`, [
      ['1101000001', 'main'],
      ['1101000002', 'spare'],
    ]),
    collection(`${I1}/contacts`, [
      ['79000000002@c.us', 'Bob\nprune: false'],
      ['79000000001@c.us', 'Ann'],
    ]),
    collection(`${I1}/groups`, [['120363000000000001@g.us', 'Promo']]),
    collection(`${I2}/contacts`, [], { error: new Error('401') }),
    collection(`${I2}/groups`, [], { unconfirmed: 'the listing came back empty twice' }),
  ];

  it('writes prune: true with every observed id kept, names as one-line comments; says what it left out', () => {
    const out = exportConfig('new.yaml', seed, accountsOf(desiredFrom(seed, ENV), observed));
    expect(out.text).toBe(
      [
        'version: 1',
        'green-api:',
        '  main:',
        '    apiUrl: ${GREEN_API_URL:-https://api.green-api.com}',
        '    partner:',
        '      token: ${GREEN_API_PARTNER_TOKEN}',
        '      instances:',
        '        prune: true',
        '        keep:',
        '          - 1101000001 # main',
        '          - 1101000002 # spare',
        '    instances:',
        '      1101000001:',
        '        token: ${GREEN_API_TOKEN_1101000001}',
        '        contacts:',
        '          prune: true',
        '          keep:',
        '            - 79000000001@c.us # Ann',
        '            - 79000000002@c.us # Bob\\u{a}prune: false',
        '        groups:',
        '          prune: true',
        '          keep:',
        '            - 120363000000000001@g.us # Promo',
        '',
      ].join('\n'),
    );
    expect(out.notes).toEqual([
      `${I2}/groups: not exported (the listing came back empty twice); its entries in the file are left as they are`,
    ]);
  });

  it('a plan of the exported file against the same world removes nothing', () => {
    const out = exportConfig('new.yaml', seed, accountsOf(desiredFrom(seed, ENV), observed));
    const readable = observed.filter((c) => !c.error && !c.unconfirmed);
    expect(removals(out.text, readable)).toEqual([]);
    // And the same file without the export would have removed them: the check can fail.
    const pruneAll = seed.replace(
      '        token: ${GREEN_API_TOKEN_1101000001}',
      '        token: ${GREEN_API_TOKEN_1101000001}\n        contacts: { prune: true, safety: { maxDeletePercent: 100 } }',
    );
    expect(removals(pruneAll, readable)).toHaveLength(2);
  });

  it('a 2Chat account: numbers and contacts kept in full, nothing about messages', () => {
    const text = [
      'version: 1',
      '2chat:',
      '  support:',
      '    apiKey: ${TWOCHAT_API_KEY}',
      '    apiUrl: ${TWOCHAT_URL:-https://api.p.2chat.io/open}',
      '',
    ].join('\n');
    const world = [
      collection('2chat.support/numbers', [['+5215511112222', 'main']]),
      collection('2chat.support/contacts', [
        ['CON2', 'Beatriz'],
        ['CON1', 'Augusto'],
      ]),
    ];
    const out = exportConfig('c.yaml', text, accountsOf(desiredFrom(text, ENV), world));
    expect(out.text).toBe(
      [
        'version: 1',
        '2chat:',
        '  support:',
        '    apiKey: ${TWOCHAT_API_KEY}',
        '    apiUrl: ${TWOCHAT_URL:-https://api.p.2chat.io/open}',
        '    numbers:',
        '      prune: true',
        '      keep:',
        '        - "+5215511112222" # main',
        '    contacts:',
        '      prune: true',
        '      keep:',
        '        - CON1 # Augusto',
        '        - CON2 # Beatriz',
        '',
      ].join('\n'),
    );
    expect(out.notes).toEqual([]);
    expect(removals(out.text, world)).toEqual([]);
  });
});

describe('export of an existing config, written as fmt writes it (refresh: add only what nothing in the file names)', () => {
  const file = [
    'version: 1',
    'green-api:',
    '  main:',
    '    apiUrl: https://api.green-api.com',
    '    instances:',
    '      1101000001:',
    '        token: ${GREEN_API_TOKEN_1101000001}',
    '        # reviewed by Ann',
    '        contacts:',
    '          prune: true',
    '          keep:',
    '            - 79000000001@c.us # Ann',
    '            - { name: "Team *" }',
    '          remove: [ 79000000009@c.us ]',
    '          protect: [ { name: Boss } ]',
    '          safety: { maxDeletePercent: 100 }',
    '        groups: { remove: [ "120363000000000001@g.us" ] }',
    '',
  ].join('\n');
  const observed = [
    collection(
      `${I1}/contacts`,
      [
        ['79000000001@c.us', 'Ann'],
        ['79000000003@c.us', 'Team Carol'],
        ['79000000004@c.us', 'Boss'],
        ['79000000009@c.us', 'spam'],
        ['79000000006@c.us', 'Fay'],
        ['79000000005@c.us', 'Eve'],
        ['79990000001@c.us', 'me'],
      ],
      { ownIds: ['79990000001@c.us'] },
    ),
    collection(`${I1}/groups`, [
      ['120363000000000001@g.us', 'Promo'],
      ['120363000000000002@g.us', 'Family'],
    ]),
  ];
  const desired = desiredFrom(file, ENV);

  it('unmentioned: only prune removals no entry names (not kept, protected, removed, or the own number)', () => {
    const managed = managedCollections(desired.accounts[0]!);
    const contacts = managed.find((m) => m.ref.kind === 'contacts');
    const groups = managed.find((m) => m.ref.kind === 'groups');
    expect(unmentioned(contacts!, observed[0]!, NOW).map((i) => i.id)).toEqual([
      '79000000006@c.us',
      '79000000005@c.us',
    ]);
    // groups is not prune: true; nothing there is unmentioned.
    expect(unmentioned(groups!, observed[1]!, NOW)).toEqual([]);
  });

  it('appends them to keep, sorted, with their names; everything else stays as written', () => {
    const out = exportConfig('chatstate.yaml', file, accountsOf(desired, observed), { now: NOW });
    expect(out.text).toBe(
      file.replace(
        '            - { name: "Team *" }\n',
        '            - { name: "Team *" }\n            - 79000000005@c.us # Eve\n            - 79000000006@c.us # Fay\n',
      ),
    );
    expect(out.notes).toEqual([`${I1}/contacts: 2 ids added to keep`]);
    // The plan of the refreshed file removes only what the file asks for by name.
    expect(removals(file, observed)).toEqual([
      `leave-group ${I1}/group.120363000000000001@g.us`,
      `delete-contact ${I1}/contact.79000000005@c.us`,
      `delete-contact ${I1}/contact.79000000006@c.us`,
      `delete-contact ${I1}/contact.79000000009@c.us`,
    ]);
    expect(removals(out.text, observed)).toEqual([
      `leave-group ${I1}/group.120363000000000001@g.us`,
      `delete-contact ${I1}/contact.79000000009@c.us`,
    ]);
  });

  it('a collection that could not be read, or nothing new: the file comes back byte for byte', () => {
    const failed = [collection(`${I1}/contacts`, [], { error: new Error('500') }), observed[1]!];
    expect(exportConfig('chatstate.yaml', file, accountsOf(desired, failed), { now: NOW })).toEqual({
      text: file,
      notes: [],
    });
    const known = [collection(`${I1}/contacts`, [['79000000001@c.us', 'Ann']]), observed[1]!];
    expect(exportConfig('chatstate.yaml', file, accountsOf(desired, known), { now: NOW }).text).toBe(file);
  });
});
