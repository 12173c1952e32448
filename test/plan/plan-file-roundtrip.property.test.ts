import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Desired } from '../../src/config/model.js';
import { PlanFileError, readPlanFile, writePlanFile } from '../../src/engine/plan-file.js';
import { PLAN_FILE_FORMAT_VERSION } from '../../src/engine/plan-file-columns.js';
import type { ItemFacts, ObservedCollection } from '../../src/model/observed.js';
import type { Plan } from '../../src/model/plan.js';
import { renderJson } from '../../src/render/json.js';
import { SourceError } from '../../src/shared/source-error.js';
import { collection, message, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * The compact plan file (formatVersion 3: decisions and actions as columns, strings in a table)
 * against generated worlds: whatever was decided and planned, the file read back is the same plan —
 * every decision and rule row by row, every action, and the same `plan --format json` text.
 */

const dir = mkdtempSync(join(tmpdir(), 'chatstate-plan-roundtrip-'));
const G = 'green-api.main';
const I = `${G}/instance.1101000001`;
const T = '2chat.support';
const N = '+5215511112222';

const CONTACTS = [
  ...Array.from({ length: 10 }, (_, i) => `790000000${String(i).padStart(2, '0')}@c.us`),
  '111111111111111@lid',
  '222222222222222@lid',
];
const NAMES = ['Alice', 'Team Anna', 'Team "Bob"', 'Zoë ✓', 'spam-1', '', 'a\\b', '名前'];
const GROUPS = Array.from({ length: 4 }, (_, i) => `12036304396806656${i}@g.us`);
const INSTANCES = ['1101000002', '1101000003', '1101000004'];
const STATES = ['authorized', 'notAuthorized', 'blocked', 'sleepMode', null, undefined] as const;
const MESSAGES = Array.from({ length: 6 }, (_, i) => `MSG-${i}`);
const SENT = ['2026-11-20T10:00:00Z', '2026-11-25T06:00:00Z', '2026-11-25T11:30:00Z'];
const NUMBERS = ['+5215533334444', '+5215555556666'];

const entry = fc.oneof(
  fc.constantFrom(...CONTACTS.slice(0, 10)).map((id) => JSON.stringify(id)),
  fc.constantFrom('{name: Team *}', '{name: "spam*"}', '"7900000000?@c.us"', '{name: Zo*}'),
);
const list = (arb: fc.Arbitrary<string>) => fc.uniqueArray(arb, { maxLength: 5 }).map((xs) => `[${xs.join(', ')}]`);

const configArb = fc.record({
  prune: fc.boolean(),
  keep: list(entry),
  remove: list(entry),
  protect: list(entry),
  groupsPrune: fc.boolean(),
  instancesPrune: fc.boolean(),
  numbersPrune: fc.boolean(),
  olderThan: fc.constantFrom('1h', '24h', '3d'),
});

const worldArb = fc.record({
  contacts: fc.uniqueArray(
    fc.record({
      id: fc.constantFrom(...CONTACTS),
      name: fc.constantFrom(...NAMES),
      phone: fc.option(fc.constantFrom('79000000001@c.us', '79000000020@c.us'), { nil: undefined }),
      firstName: fc.option(fc.constantFrom('Ann', 'Ünal'), { nil: undefined }),
    }),
    { selector: (c) => c.id, maxLength: 12 },
  ),
  groups: fc.uniqueArray(fc.record({ id: fc.constantFrom(...GROUPS), lastAdmin: fc.boolean() }), {
    selector: (g) => g.id,
    maxLength: 4,
  }),
  instances: fc.uniqueArray(
    fc.record({ id: fc.constantFrom(...INSTANCES), state: fc.constantFrom(...STATES), expired: fc.boolean() }),
    { selector: (i) => i.id, maxLength: 3 },
  ),
  messages: fc.uniqueArray(
    fc.record({
      id: fc.constantFrom(...MESSAGES),
      sentAt: fc.constantFrom(...SENT),
      sentBy: fc.constantFrom('api', 'agent', 'user') as fc.Arbitrary<'api' | 'agent' | 'user'>,
      group: fc.boolean(),
    }),
    { selector: (m) => m.id, maxLength: 6 },
  ),
  numbers: fc.uniqueArray(fc.constantFrom(...NUMBERS), { maxLength: 2 }),
  twoChatContacts: fc.uniqueArray(
    fc.record({ id: fc.constantFrom('CON-1', 'CON-2', 'CON-3'), name: fc.constantFrom(...NAMES) }),
    {
      selector: (c) => c.id,
      maxLength: 3,
    },
  ),
  targets: fc.uniqueArray(fc.constantFrom('*contact.7900000000*', `${I}`, '*message.*', `${G}/instances*`), {
    maxLength: 2,
  }),
});

type Config = typeof configArb extends fc.Arbitrary<infer C> ? C : never;
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

function desiredOf(c: Config): Desired | undefined {
  const yaml = `version: 1
green-api:
  main:
    apiUrl: http://127.0.0.1:9
    partner:
      token: \${P}
      instances: { prune: ${c.instancesPrune}, keep: [1101000001], safety: { maxDeletePercent: 100 } }
    instances:
      1101000001:
        token: \${T}
        contacts: { prune: ${c.prune}, keep: ${c.keep}, remove: ${c.remove}, protect: ${c.protect}, safety: { maxDeletePercent: 100 } }
        groups: { prune: ${c.groupsPrune}, safety: { maxDeletePercent: 100 } }
2chat:
  support:
    apiKey: \${K}
    apiUrl: http://127.0.0.1:9
    numbers: { prune: ${c.numbersPrune}, keep: ["${NUMBERS[0]}"], safety: { maxDeletePercent: 100 } }
    contacts: { prune: true, keep: [ { name: Team * } ], safety: { maxDeletePercent: 100 } }
    messages:
      "${N}": { olderThan: ${c.olderThan}, sentBy: [ agent, api, user ] }
`;
  try {
    return desiredFrom(yaml, { P: 'p', T: 't', K: 'k' });
  } catch (err) {
    if (err instanceof SourceError) return undefined; // contradictions the loader refuses: not a plan input
    throw err;
  }
}

function worldOf(w: World): ObservedCollection[] {
  return [
    collection(`${G}/instances`, [
      ['1101000001', 'main', { kind: 'instance', expired: false, state: 'authorized' }],
      ...w.instances.map((i): [string, string, ItemFacts] => [
        i.id,
        `inst ${i.id}`,
        { kind: 'instance', expired: i.expired, ...(i.state !== undefined ? { state: i.state } : {}) },
      ]),
    ]),
    collection(
      `${I}/contacts`,
      w.contacts.map((c): [string, string, ItemFacts] => [
        c.id,
        c.name,
        {
          kind: 'contact',
          ...(c.id.endsWith('@lid') && c.phone ? { phone: c.phone } : {}),
          ...(c.firstName ? { firstName: c.firstName } : {}),
        },
      ]),
    ),
    collection(
      `${I}/groups`,
      w.groups.map((g): [string, string, ItemFacts] => [
        g.id,
        'g',
        { kind: 'group', admin: { isAdmin: true, lastAdmin: g.lastAdmin } },
      ]),
    ),
    collection(
      `${T}/numbers`,
      w.numbers.map((n): [string, string] => [n, `line ${n}`]),
    ),
    collection(
      `${T}/contacts`,
      w.twoChatContacts.map((c): [string, string, ItemFacts] => [
        c.id,
        c.name,
        { kind: 'contact', phone: '+5215500000009', lastName: 'Ruiz' },
      ]),
    ),
    collection(
      `${T}/number.${N}/messages`,
      w.messages.map((m): [string, string, ItemFacts] => [m.id, '', message(m.sentAt, m.sentBy, m.group)]),
    ),
  ];
}

let files = 0;
function roundTrip(p: Plan): Plan {
  const file = join(dir, `p${files++}.json`);
  writePlanFile(file, p);
  return readPlanFile(file);
}

describe('plan file formatVersion 3 round-trips generated plans', () => {
  it('every decision and rule, every action, and the same JSON', () => {
    let planned = 0;
    fc.assert(
      fc.property(configArb, worldArb, fc.boolean(), (c, w, allow) => {
        const desired = desiredOf(c);
        if (!desired) return;
        const made = plan(desired, worldOf(w), { allowMassDelete: allow, targets: w.targets });
        const read = roundTrip(made);
        planned++;
        expect(read.collections.map((x) => x.address)).toEqual(made.collections.map((x) => x.address));
        made.collections.forEach((col, k) => {
          const back = read.collections[k]!;
          expect(back.decisions.length).toBe(col.decisions.length);
          for (let i = 0; i < col.decisions.length; i++) {
            expect(back.decisions.at(i)).toEqual(col.decisions.at(i));
            expect(back.decisions.rule(i)).toBe(col.decisions.rule(i));
          }
          expect(back.fingerprint).toBe(col.fingerprint);
          expect(back.counts).toEqual(col.counts);
        });
        expect(read.actions).toEqual(made.actions);
        expect(read.warnings).toEqual(made.warnings);
        expect(read.refusals).toEqual(made.refusals);
        // Byte for byte what `plan --format json` shows, key order included.
        expect(renderJson(read)).toBe(renderJson(made));
      }),
      { numRuns: 150 },
    );
    expect(planned).toBeGreaterThan(50);
  });

  it('the worlds exercise what the columns must carry (LID phone chat ids, warnings, dependencies, partials)', () => {
    const desired = desiredOf({
      prune: true,
      keep: '[]',
      remove: '[]',
      protect: '[]',
      groupsPrune: true,
      instancesPrune: true,
      numbersPrune: true,
      olderThan: '1h',
    })!;
    const made = plan(
      desired,
      worldOf({
        contacts: [
          { id: '111111111111111@lid', name: 'Zoë ✓', phone: '79000000001@c.us', firstName: 'Ünal' },
          { id: '79000000003@c.us', name: '', phone: undefined, firstName: undefined },
        ],
        groups: [{ id: GROUPS[0]!, lastAdmin: false }],
        instances: [
          { id: '1101000002', state: 'authorized', expired: false },
          { id: '1101000003', state: 'blocked', expired: false },
        ],
        messages: [{ id: 'MSG-1', sentAt: SENT[0]!, sentBy: 'user', group: true }],
        numbers: [NUMBERS[1]!],
        twoChatContacts: [{ id: 'CON-1', name: 'x' }],
        targets: [],
      }),
      { allowMassDelete: true },
    );
    const read = roundTrip(made);
    expect(read.actions).toEqual(made.actions);
    const targets = read.actions.map((a) => a.target);
    expect(targets).toContainEqual(expect.objectContaining({ phoneChatId: '79000000001@c.us', firstName: 'Ünal' }));
    expect(read.actions.some((a) => a.dependsOn.length > 0)).toBe(true);
    expect(read.actions.some((a) => a.expected === 'partial' && a.warnings.length > 0)).toBe(true);
    expect(targets).toContainEqual(expect.objectContaining({ uuid: `WPN-${NUMBERS[1]}`, number: NUMBERS[1] }));
    expect(targets).toContainEqual(expect.objectContaining({ sessionKey: 'WW-n-1203@g.us', number: N }));
  });
});

describe('a hand-edited or corrupted formatVersion 3 file is refused, saying where', () => {
  const desired = desiredOf({
    prune: true,
    keep: '["79000000001@c.us"]',
    remove: '[]',
    protect: '[]',
    groupsPrune: false,
    instancesPrune: false,
    numbersPrune: false,
    olderThan: '3d',
  })!;
  const base = plan(
    desired,
    worldOf({
      contacts: [
        { id: '79000000001@c.us', name: 'Ann', phone: undefined, firstName: undefined },
        { id: '79000000002@c.us', name: 'Bob', phone: undefined, firstName: undefined },
        { id: '79000000003@c.us', name: 'Cy', phone: undefined, firstName: undefined },
      ],
      groups: [],
      instances: [],
      messages: [{ id: 'MSG-1', sentAt: SENT[0]!, sentBy: 'user', group: false }],
      numbers: [],
      twoChatContacts: [],
      targets: [],
    }),
    { allowMassDelete: true },
  );

  type OnDisk = {
    formatVersion: number;
    strings: unknown[];
    actions: Record<string, unknown> & { target: Record<string, unknown> };
    collections: { decisions: Record<string, unknown> }[];
  };
  function edited(name: string, edit: (j: OnDisk) => void): string {
    const file = join(dir, name);
    writePlanFile(file, base);
    const json = JSON.parse(readFileSync(file, 'utf8')) as OnDisk;
    expect(json.formatVersion).toBe(PLAN_FILE_FORMAT_VERSION);
    edit(json);
    writeFileSync(file, JSON.stringify(json));
    return file;
  }

  const cases: [string, (j: OnDisk) => void, string][] = [
    ['item.json', (j) => ((j.actions['item'] as number[])[0] = 99), '/actions/item/0: row 99 is not an item of'],
    [
      'collection.json',
      (j) => ((j.actions['collection'] as number[])[0] = j.collections.length),
      '/actions/collection: not a list of collection indices',
    ],
    ['lengths.json', (j) => (j.actions['type'] = `${j.actions['type']}c`), 'action columns of different lengths'],
    ['flags.json', (j) => (j.actions['flags'] = '9'.repeat((j.actions['flags'] as string).length)), '/actions/flags/0'],
    ['reason.json', (j) => ((j.actions['reason'] as number[])[0] = j.strings.length), '/actions/reason'],
    ['strings.json', (j) => (j.strings = [1, 2]), '/strings is not a list of strings'],
    [
      'target.json',
      (j) => (j.actions.target['instance'] = [j.strings.length]),
      '/actions/target/instance: not a list of string indices',
    ],
    ['warnings.json', (j) => (j.actions['warnings'] = [[0, 'x']]), '/actions/warnings: [0,"x"] is not'],
    [
      'no-actions.json',
      (j) => (j.actions = [] as unknown as OnDisk['actions']),
      '/actions is not a set of action columns',
    ],
    ['decisions.json', (j) => (j.collections[0]!.decisions['names'] = []), 'decision columns of different lengths'],
  ];

  it.each(cases)('%s', (name, edit, what) => {
    expect(base.actions.length).toBeGreaterThan(1);
    const file = edited(name, edit);
    let message = '';
    try {
      readPlanFile(file);
    } catch (err) {
      expect(err).toBeInstanceOf(PlanFileError);
      message = (err as Error).message;
    }
    expect(message).toContain(`${file} is not a valid plan file: `);
    expect(message).toContain(what);
    expect(message).toMatch(/make a new plan$/);
  });

  it('an untouched file is read (the cases above fail only by their edit)', () => {
    expect(readPlanFile(edited('untouched.json', () => undefined)).actions).toEqual(base.actions);
  });

  it('a formatVersion 2 file (one object per action) is refused, saying to make a new plan', () => {
    const file = edited('v2.json', (j) => {
      j.formatVersion = 2;
    });
    expect(() => readPlanFile(file)).toThrow(
      `${file} has formatVersion 2; this chatstate reads plan files of formatVersion 3. Make a new plan with this version: chatstate plan --save ${file}`,
    );
  });
});
