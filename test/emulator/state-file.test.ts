import { describe, expect, it } from 'vitest';
import { parseEmulatorState } from '../../src/emulator/state.js';
import { SourceError } from '../../src/shared/source-error.js';

function problems(text: string): string[] {
  try {
    parseEmulatorState('world.yaml', text);
  } catch (err) {
    if (err instanceof SourceError) return err.problems.map((p) => `${p.line}:${p.col} ${p.message}`);
    throw err;
  }
  throw new Error('expected the state to be refused');
}

const instance = (extra = '') =>
  `green-api:\n  instances:\n    - idInstance: 11\n      apiTokenInstance: t\n      wid: 79990000011@c.us\n${extra}`;

describe('emulator state file', () => {
  it.each([
    ['YAML syntax', 'green-api: [\n', /^2:1 /],
    ['duplicate key', 'now: 2026-11-25T12:00:00Z\nnow: 2026-11-25T12:00:00Z\n', /^2:1 Map keys must be unique/],
    ['unknown top-level key', 'greenapi: {}\n', /^1:1 unknown key `greenapi` in the file/],
    ['unknown nested key', instance('      colour: red\n'), /^6:7 unknown key `colour` in `green-api.instances.0`/],
    [
      'bad chat id',
      instance('      contacts: [{ id: "+7 987" }]\n'),
      /^6:24 `green-api.instances.0.contacts.0.id` is not valid: A personal chat id: digits@c.us, or a WhatsApp LID \(digits@lid\)\. \(got "\+7 987"\)/,
    ],
    ['bad state', instance('      state: sleeping\n'), /^6:14 `green-api.instances.0.state` must be one of/],
    [
      'missing token',
      'green-api:\n  instances:\n    - { idInstance: 1, wid: 79990000011@c.us }\n',
      /^3:7 `green-api.instances.0` is missing the required key `apiTokenInstance`/,
    ],
    [
      'id too long',
      'green-api:\n  instances:\n    - { idInstance: 12345678901, apiTokenInstance: t, wid: 79990000011@c.us }\n',
      /^3:21 `green-api.instances.0.idInstance` must be <= 9999999999/,
    ],
    [
      'bad time',
      'now: yesterday\n',
      /^1:6 `now` must be an ISO 8601 time such as 2026-11-25T12:00:00Z \(got "yesterday"\)/,
    ],
    [
      'duplicate instance',
      'green-api:\n  instances:\n    - { idInstance: 1, apiTokenInstance: a, wid: 79990000011@c.us }\n    - { idInstance: 1, apiTokenInstance: b, wid: 79990000012@c.us }\n',
      /^4:7 duplicate idInstance 1 \(first at item 1\)/,
    ],
    [
      'duplicate contact',
      instance('      contacts: [{ id: 79000000001@c.us }, { id: 79000000001@c.us }]\n'),
      /^6:44 duplicate contact id/,
    ],
    [
      'partner of an unknown instance',
      `${instance()}  partners: [{ token: p, instances: [99] }]\n`,
      /^6:38 partner lists instance 99, which is not under green-api.instances/,
    ],
    [
      'duplicate 2Chat message',
      '2chat:\n  accounts:\n    - apiKey: k\n      numbers:\n        - uuid: n\n          phone_number: "+5215511112222"\n          messages:\n            - { uuid: m, remote: "+5215500000001", created_at: 2026-11-24T10:00:00Z, sent_by: api }\n            - { uuid: m, remote: "+5215500000001", created_at: 2026-11-24T10:00:00Z, sent_by: api }\n',
      /^9:15 duplicate message uuid "m"/,
    ],
  ])('refuses %s with line:col and a message', (_name, text, expected) => {
    const found = problems(text);
    expect(
      found.some((p) => expected.test(p)),
      found.join('\n'),
    ).toBe(true);
  });

  it('reports every problem, sorted by position', () => {
    const found = problems('wabotify:\n  workspaces:\n    - { id: w, apiKey: k, extra: 1 }\nnow: never\n');
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^3:27 unknown key `extra`/);
    expect(found[1]).toMatch(/^4:6 /);
  });

  it('refuses non-UTF-8 bytes and alias bombs', () => {
    expect(() => parseEmulatorState('w.yaml', Buffer.from([0x6e, 0x6f, 0x77, 0x3a, 0x20, 0xff, 0x0a]))).toThrow(
      /1:6: file is not valid UTF-8/,
    );
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(() => parseEmulatorState('w.yaml', bomb)).toThrow(/too many alias expansions/);
  });

  it('accepts JSON as well as YAML', () => {
    const state = parseEmulatorState(
      'w.json',
      JSON.stringify({ wabotify: { workspaces: [{ id: 'w', apiKey: 'k', contacts: [{ id: 'c' }] }] } }),
    );
    expect(state.wabotify?.workspaces?.[0]?.contacts?.[0]?.id).toBe('c');
  });
});
