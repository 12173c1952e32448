import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusePlanFile } from '../../src/apply/verify.js';
import { PlanFileError, readPlanFile, writePlanFile } from '../../src/engine/plan-file.js';
import type { Plan } from '../../src/model/plan.js';
import { accountEndpoints, endpointChanges } from '../../src/plan/endpoints.js';
import { collection, NOW, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

/**
 * What apply refuses before anything is sent: a plan file it cannot read as a plan of this format
 * (engine/plan-file.ts), a saved plan that does not fit the config or the clock (apply/verify.ts),
 * and endpoints that resolve differently now (plan/endpoints.ts). In-process, files in a temp dir.
 */

const dir = mkdtempSync(join(tmpdir(), 'chatstate-unit-plan-file-'));
const I = 'green-api.main/instance.1101000001';
const yaml = (apiUrl = 'http://127.0.0.1:9', extra = '') =>
  [
    'version: 1',
    'green-api:',
    '  main:',
    `    apiUrl: ${apiUrl}`,
    '    instances:',
    '      1101000001:',
    '        token: "${T}"',
    '        contacts: { prune: true, keep: ["79000000001@c.us"], safety: { maxDeletePercent: 100 } }',
    extra,
    '',
  ].join('\n');
const desired = (apiUrl?: string, extra?: string) => desiredFrom(yaml(apiUrl, extra), { T: 'tok' });
const observed = () => [
  collection(`${I}/contacts`, [
    ['79000000001@c.us', 'Ann'],
    ['79000000002@c.us', 'Bob'],
  ]),
];
const made = (): Plan => plan(desired(), observed(), { allowMassDelete: true });

/** A saved plan file, then its JSON edited by `edit`. */
function savedFile(name: string, edit?: (json: Record<string, unknown>) => void): string {
  const file = join(dir, name);
  writePlanFile(file, made());
  if (edit) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(json);
    writeFileSync(file, JSON.stringify(json));
  }
  return file;
}

function refusal(file: string): string {
  try {
    readPlanFile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(PlanFileError);
    return (err as Error).message;
  }
  throw new Error(`${file} was read as a plan`);
}

describe('plan file refusal (readPlanFile)', () => {
  it('reads back what it wrote (the baseline the refusals below depart from)', () => {
    const p = readPlanFile(savedFile('good.json'));
    expect(p.actions.map((a) => `${a.type} ${a.address}`)).toEqual([`delete-contact ${I}/contact.79000000002@c.us`]);
  });

  it('a file that does not exist, or is a directory: cannot read, with the code', () => {
    expect(refusal(join(dir, 'absent.json'))).toBe(`cannot read plan file ${join(dir, 'absent.json')}: ENOENT`);
    expect(refusal(dir)).toBe(`cannot read plan file ${dir}: EISDIR`);
  });

  it('truncated, empty or corrupt JSON: not a plan file, and how to save one', () => {
    const good = readFileSync(savedFile('whole.json'), 'utf8');
    for (const [name, text] of [
      ['truncated.json', good.slice(0, Math.floor(good.length / 2))],
      ['empty.json', ''],
      ['garbage.json', 'formatVersion: 2\n'],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const message = refusal(file);
      expect(message).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')} is not a plan file \\(JSON\\): `));
      expect(message).toContain(`save a plan with: chatstate plan --save ${file}`);
    }
  });

  it('another formatVersion, or none: refused, naming both versions and saying to make a new plan', () => {
    for (const [name, version] of [
      ['v1.json', 1],
      ['v2.json', 2],
      ['v4.json', 4],
      ['v3-string.json', '3'],
      ['none.json', undefined],
    ] as const) {
      const file = savedFile(name, (json) => {
        if (version === undefined) delete json['formatVersion'];
        else json['formatVersion'] = version;
      });
      expect(refusal(file)).toBe(
        `${file} has formatVersion ${JSON.stringify(version)}; this chatstate reads plan files of formatVersion 3. Make a new plan with this version: chatstate plan --save ${file}`,
      );
    }
    for (const value of ['null', '[]', '"plan"', '3']) {
      const file = join(dir, 'not-an-object.json');
      writeFileSync(file, value);
      expect(refusal(file)).toMatch(/has formatVersion undefined; .*Make a new plan/);
    }
  });

  it('a missing or mistyped field: not a valid plan file, naming where', () => {
    const cases: [string, (json: Record<string, unknown>) => void, RegExp][] = [
      ['no-digest.json', (j) => delete j['configDigest'], /configDigest/],
      ['no-actions.json', (j) => delete j['actions'], /actions/],
      ['no-collections.json', (j) => delete j['collections'], /collections/],
      ['bad-expiry.json', (j) => (j['expiresAt'] = 42), /\/expiresAt /],
      // The actions are columns (formatVersion 3): a target column that is no target field, a type letter no action has.
      [
        'secret-in-target.json',
        (j) => ((j['actions'] as { target: Record<string, unknown> }).target['token'] = [0]),
        /\/actions\/target\/token is not a target field/,
      ],
      [
        'unknown-type.json',
        (j) => ((j['actions'] as { type: string }).type = 'x'),
        /\/actions\/type\/0: unknown action type letter "x"/,
      ],
    ];
    for (const [name, edit, where] of cases) {
      const file = savedFile(name, edit);
      const message = refusal(file);
      expect(message).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')} is not a valid plan file: `));
      expect(message).toMatch(where);
      expect(message).toMatch(/make a new plan$/);
    }
  });

  it('broken decision columns: an unknown decision letter, a rule index out of range, columns of different lengths', () => {
    type Columns = { ids: string[]; names: string[]; decision: string; rule: number[]; rules: string[] };
    const columns = (j: Record<string, unknown>) => (j['collections'] as { decisions: Columns }[])[0]!.decisions;
    const cases: [string, (c: Columns) => void, string][] = [
      ['letter.json', (c) => (c.decision = `x${c.decision.slice(1)}`), 'unknown decision code "x"'],
      ['rule.json', (c) => (c.rule[0] = c.rules.length), `rule index`],
      ['lengths.json', (c) => c.ids.pop(), 'decision columns of different lengths'],
    ];
    for (const [name, edit, what] of cases) {
      const file = savedFile(name, (j) => edit(columns(j)));
      const message = refusal(file);
      expect(message).toContain(`${file} is not a valid plan file: /collections/0/decisions`);
      expect(message).toContain(what);
    }
  });
});

describe('a saved plan that does not fit the config or the clock (refusePlanFile)', () => {
  const HOUR = 3_600_000;
  const later = new Date(NOW.getTime() + 60_000);

  it('fits: undefined', () => {
    expect(refusePlanFile(made(), desired(), later, HOUR)).toBeUndefined();
  });

  it('the config changed since the plan', () => {
    const changed = desired(undefined, 'safety: { minItems: 3 }');
    expect(refusePlanFile(made(), changed, later, HOUR)).toMatch(
      /^the config test\.yaml changed since the plan was made \(plan sha256:.*…, config now sha256:.*…\); run plan again/,
    );
  });

  it('expired, or older than --max-age', () => {
    const p = made();
    expect(refusePlanFile(p, desired(), new Date(Date.parse(p.expiresAt) + 1), 1000 * HOUR)).toBe(
      `the plan expired at ${p.expiresAt}; run plan again`,
    );
    expect(refusePlanFile(p, desired(), new Date(NOW.getTime() + 2 * HOUR), HOUR)).toBe(
      'the plan was made 120 minutes ago, more than --max-age allows; run plan again',
    );
  });

  it('records errors or refusals', () => {
    const p = made();
    const withError = { ...p, errors: [{ collection: `${I}/contacts`, message: 'x' }] };
    expect(refusePlanFile(withError, desired(), later, HOUR)).toMatch(/records errors or refusals/);
    const withRefusal = { ...p, refusals: [{ kind: 'mass-delete' as const, address: I, message: 'x' }] };
    expect(refusePlanFile(withRefusal, desired(), later, HOUR)).toMatch(/records errors or refusals/);
  });

  it('lists an action outside the config, or one that contradicts itself', () => {
    const p = made();
    const a = p.actions[0]!;
    const stray = { ...p, actions: [{ ...a, collection: 'green-api.main/instance.1101000009/contacts' }] };
    expect(refusePlanFile(stray, desired(), later, HOUR)).toBe(
      `the plan file lists ${a.address}, which the config does not manage; the file was edited or belongs to another config`,
    );
    const edited = { ...p, actions: [{ ...a, target: { ...a.target, id: '79000000001@c.us' } }] };
    expect(refusePlanFile(edited, desired(), later, HOUR)).toMatch(
      /^1 action contradicts itself \(the file was edited or belongs to another config\); nothing was sent\. Run plan again\.\n {2}delete-contact .*79000000002@c\.us: its target id "79000000001@c\.us" is at/,
    );
  });
});

describe('endpoints that resolve differently now (endpointChanges)', () => {
  const at = (url: string, extra = '') => accountEndpoints(desired(url, extra));

  it('the same: nothing', () => {
    expect(endpointChanges(at('http://127.0.0.1:9'), at('http://127.0.0.1:9'))).toEqual([]);
  });

  it('another apiUrl, an instance apiUrl of its own, an account gone; URLs redacted', () => {
    const before = at('https://user:pw@green.example/');
    expect(endpointChanges(before, at('https://other.example/'))).toEqual([
      'green-api.main: apiUrl https://***@green.example when planned, apiUrl https://other.example now',
    ]);
    const own = accountEndpoints(
      desiredFrom(
        yaml('http://127.0.0.1:9').replace(
          '        token: "${T}"',
          '        token: "${T}"\n        apiUrl: http://127.0.0.2:9',
        ),
        { T: 'tok' },
      ),
    );
    expect(endpointChanges(at('http://127.0.0.1:9'), own)).toEqual([
      'green-api.main: apiUrl http://127.0.0.1:9 when planned, apiUrl http://127.0.0.1:9, instance 1101000001 apiUrl http://127.0.0.2:9 now',
    ]);
    expect(endpointChanges(before, [])).toEqual(['green-api.main is no longer in the config']);
  });
});
