import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/shared/source-error.js';
import { desiredFrom } from '../helpers/world.js';

const problems = (yaml: string): string[] => {
  try {
    desiredFrom(yaml, { T: 't', K: 'k' });
  } catch (err) {
    if (err instanceof SourceError) return err.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
    throw err;
  }
  return [];
};

const green = (instances: string) =>
  `version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n${instances}`;

describe('keys naming one instance, number or account are one duplicate error (issue 12, point 4)', () => {
  it('110100001: and "0110100001": name the same instance', () => {
    expect(
      problems(
        green(
          '      110100001:\n        token: ${T}\n        contacts: { prune: true, keep: [79876543210] }\n      "0110100001":\n        token: ${T}\n        contacts: { prune: true, keep: [79876543211] }\n',
        ),
      ),
    ).toEqual([
      '9:7: `0110100001` is the same instance as `110100001` in green-api.main.instances (line 6, col 7, and line 9, col 7); give each instance once',
    ]);
  });

  it('110100001: beside "110100001": is not silently one of them', () => {
    expect(
      problems(
        green(
          '      110100001:\n        token: ${T}\n        contacts: { prune: true, keep: [79876543210] }\n      "110100001":\n        token: ${T}\n        contacts: { remove: [79876543210] }\n',
        ),
      ),
    ).toEqual([
      '9:7: `110100001` is given twice in green-api.main.instances (line 6, col 7, and line 9, col 7); give each instance once',
    ]);
  });

  it('account names and 2Chat numbers too', () => {
    const yaml =
      'version: 1\nwabotify:\n  123: { workspaceId: a, apiKey: "${K}" }\n  "123": { workspaceId: b, apiKey: "${K}" }\n2chat:\n  s:\n    apiKey: ${K}\n    messages:\n      "+5215511112222": { olderThan: 24h }\n      "+52 155 1111 2222": { olderThan: 48h }\n';
    expect(problems(yaml)).toEqual([
      '4:3: `123` is given twice in wabotify (line 3, col 3, and line 4, col 3); give each account once',
      '10:7: `+52 155 1111 2222` is the same number as `+5215511112222` in 2chat.s.messages (line 9, col 7, and line 10, col 7); give each number once',
    ]);
  });

  it('a partner instance entry with a leading zero names the instance it normalises to', () => {
    const d = desiredFrom(
      'version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    partner:\n      token: ${T}\n      instances: { remove: ["0110100003"] }\n',
      { T: 't' },
    );
    const account = d.accounts[0]!;
    expect(account.provider === 'green-api' && account.partner?.instances?.remove[0]?.pattern).toBe('110100003');
  });
});
