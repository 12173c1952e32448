import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { SourceError } from '../../src/shared/source-error.js';

const env = { TOKEN: 'tok', KEY: 'key', PARTNER: 'ptok' };

/** Loads `text` and returns the problems as `line:col message`. */
function problems(text: string | Uint8Array, environment: Record<string, string> = env): string[] {
  try {
    parseDesired('c.yaml', text, { env: environment });
  } catch (err) {
    if (err instanceof SourceError) return err.problems.map((p) => `${p.line}:${p.col} ${p.message}`);
    throw err;
  }
  return [];
}

const green = (body: string) =>
  `version: 1\ngreen-api:\n  main:\n    instances:\n      1101000001:\n        token: \${TOKEN}\n${body}`;
const twoChat = (body: string) => `version: 1\n2chat:\n  s:\n    apiKey: \${KEY}\n${body}`;

// [name, input, expected "line:col", message pattern]
const CASES: [string, string, string, RegExp][] = [
  ['YAML syntax error', 'version: 1\ngreen-api: [\n', '3:1', /Flow sequence|Missing|flow/i],
  ['tab indentation', 'version: 1\nsafety:\n\tminItems: 3\n', '3:1', /tab/i],
  ['duplicate key', 'version: 1\nversion: 1\n', '2:1', /Map keys must be unique/],
  ['missing version', 'green-api: {}\n', '1:1', /the file is missing the required key `version`/],
  ['wrong version', 'version: 2\n', '1:10', /`version` must be 1 \(got 2\)/],
  [
    'unknown top-level key',
    'version: 1\ngreenapi: {}\n',
    '2:1',
    /unknown key `greenapi` in the file; did you mean `green-api`\?/,
  ],
  [
    'misspelt collection',
    green('        contcts: { prune: true }\n'),
    '7:9',
    /unknown key `contcts` .*did you mean `contacts`\?/,
  ],
  [
    'unknown collection key',
    green('        contacts: { prune: true, kep: [] }\n'),
    '7:34',
    /unknown key `kep` .*did you mean `keep`\?/,
  ],
  [
    'prune not boolean',
    green('        contacts: { prune: yes }\n'),
    '7:28',
    /`green-api.main.instances.1101000001.contacts.prune` must be a boolean \(got "yes"\)/,
  ],
  ['keep not a list', green('        contacts: { keep: 79876543210@c.us }\n'), '7:27', /must be an array/],
  [
    'bad chat id',
    green('        contacts: { keep: ["+7 987"] }\n'),
    '7:28',
    /`\+7 987` is not a valid chat id or phone number/,
  ],
  [
    'group id in contacts',
    green('        contacts: { remove: [120363043968066561@g.us] }\n'),
    '7:30',
    /is not valid: A personal chat id .*\(got "120363043968066561@g.us"\)/,
  ],
  [
    'chat id in groups',
    green('        groups: { remove: [79876543210@c.us] }\n'),
    '7:28',
    /is not valid: A group id .*\(got "79876543210@c.us"\)/,
  ],
  [
    'entry with two fields',
    green('        contacts: { keep: [{ id: "1*", name: "A*" }] }\n'),
    '7:28',
    /must have exactly one of `id` or `name`/,
  ],
  ['entry with unknown field', green('        contacts: { keep: [{ phone: "1" }] }\n'), '7:30', /unknown key `phone`/],
  [
    'bad instance id key',
    'version: 1\ngreen-api:\n  main:\n    instances:\n      main-1: { token: "${TOKEN}" }\n',
    '5:7',
    /invalid key `main-1` .*An instance id: 1 to 10 digits/,
  ],
  [
    'instance id too long',
    'version: 1\ngreen-api:\n  main:\n    instances:\n      12345678901: { token: "${TOKEN}" }\n',
    '5:7',
    /invalid key `12345678901`/,
  ],
  [
    'literal token',
    'version: 1\ngreen-api:\n  main:\n    instances:\n      1101000001: { token: abc123 }\n',
    '5:28',
    /is a secret and must be a \$\{VAR\} reference/,
  ],
  [
    'missing env var',
    'version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: "${NOPE}" }\n',
    '3:34',
    /environment variable NOPE is not set; export it with the secret's value \(secrets have no default in the file\)/,
  ],
  [
    'missing env var in URL',
    'version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: "${KEY}", apiUrl: "https://${HOST}/x" }\n',
    '3:60',
    /environment variable HOST is not set/,
  ],
  [
    'bad URL',
    'version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: "${KEY}", apiUrl: ftp://x }\n',
    '3:51',
    /`wabotify.w.apiUrl` is not valid: A base URL .*\(got "ftp:\/\/x"\)/,
  ],
  [
    'URL from env is not a URL',
    'version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: "${KEY}", apiUrl: "${KEY}" }\n',
    '3:51',
    /`wabotify.w.apiUrl` must be an http\(s\) URL, but \$\{KEY\} does not resolve to one/,
  ],
  [
    'wabotify without workspaceId',
    'version: 1\nwabotify:\n  w: { apiKey: "${KEY}" }\n',
    '3:6',
    /is missing the required key `workspaceId`/,
  ],
  [
    'bad account name',
    'version: 1\nwabotify:\n  "sales/eu": { workspaceId: ws, apiKey: "${KEY}" }\n',
    '3:3',
    /invalid key `sales\/eu`/,
  ],
  ['2chat groups', twoChat('    groups: { remove: ["1@g.us"] }\n'), '5:13', /2Chat has no endpoint to leave a group/],
  [
    'bad duration',
    twoChat('    messages:\n      "+5215511112222": { olderThan: 3 days }\n'),
    '6:38',
    /is not valid: A duration such as 90s.*\(got "3 days"\)/,
  ],
  [
    'bad sentBy',
    twoChat('    messages:\n      "+5215511112222": { olderThan: 1d, sentBy: [bot] }\n'),
    '6:51',
    /must be one of "api", "agent", "user" \(got "bot"\)/,
  ],
  [
    'sentBy without olderThan',
    twoChat('    messages:\n      "+5215511112222": { sentBy: [api] }\n'),
    '6:35',
    /`sentBy` only narrows `olderThan`/,
  ],
  [
    'lookBack shorter than olderThan',
    twoChat('    messages:\n      "+5215511112222": { olderThan: 7d, lookBack: 1d }\n'),
    '6:52',
    /`lookBack` \(1d\) must be longer than `olderThan` \(7d\)/,
  ],
  ['bad messages key', twoChat('    messages:\n      support: { olderThan: 1d }\n'), '6:7', /invalid key `support`/],
  [
    'bad 2chat number',
    twoChat('    numbers: { remove: [5215511112222] }\n'),
    '5:25',
    /is not valid: A connected number/,
  ],
  [
    'kept and removed',
    green('        contacts: { keep: [79876543210@c.us], remove: ["+7 987 654-32-10"] }\n'),
    '7:56',
    /`\+7 987 654-32-10` is both kept \(line 7\) and removed/,
  ],
  [
    'protected and removed',
    green('        groups: { protect: [1-2@g.us], remove: [1-2@g.us] }\n'),
    '7:49',
    /`1-2@g.us` is protected \(line 7\) and listed under remove/,
  ],
  [
    'duplicate entries',
    green('        contacts: { keep: [79876543210, "+7 987 654 32 10"] }\n'),
    '7:41',
    /duplicate entry `\+7 987 654 32 10` \(first at line 7\)/,
  ],
  [
    'allowLastAdminLeave on keep',
    green('        groups: { keep: [{ id: 1-2@g.us, allowLastAdminLeave: true }] }\n'),
    '7:26',
    /`allowLastAdminLeave` belongs on `remove` entries/,
  ],
  [
    'instance without token or partner',
    'version: 1\ngreen-api:\n  main:\n    instances:\n      1101000001: { contacts: { prune: false } }\n',
    '5:19',
    /instance 1101000001 has no token: add `token: \$\{GREEN_API_TOKEN_1101000001\}`/,
  ],
  [
    'instance managed and deleted by partner',
    'version: 1\ngreen-api:\n  main:\n    partner: { token: "${PARTNER}", instances: { remove: [1101000001] } }\n    instances:\n      1101000001: { contacts: { prune: false } }\n',
    '6:19',
    /instance 1101000001 is managed here but `partner.instances` would delete it/,
  ],
  ['negative safety', 'version: 1\nsafety: { maxDeletePercent: -5 }\n', '2:29', /must be >= 0/],
  [
    'unquoted ${VAR} in a flow map',
    'version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: ${KEY} }\n',
    '3:34',
    /quote \$\{VAR\} references inside \{ \} and \[ \]/,
  ],
  [
    'bad rate limit',
    'version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: "${KEY}", rateLimits: { requests: fast } }\n',
    '3:67',
    /is not valid: A rate: N\/s or N\/m/,
  ],
];

describe('config loader: bad inputs', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('%s', (_name, input, position, message) => {
    const found = problems(input);
    const hit = found.find((p) => p.startsWith(`${position} `) && message.test(p));
    expect(hit, `got:\n${found.join('\n')}`).toBeDefined();
  });

  it('refuses non-UTF-8 at the bad byte', () => {
    expect(problems(Buffer.concat([Buffer.from('version: 1\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]))).toEqual(
      ['2:6 file is not valid UTF-8 (byte 16); save it as UTF-8'],
    );
  });

  it('refuses an alias bomb without expanding it', () => {
    const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(9)
          .fill(`*${'abcdefghij'[i - 1]}`)
          .join(', ')}]`,
      );
    const found = problems(`version: 1\n${levels.join('\n')}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^3:\d+ too many alias expansions \(limit 100\)/);
  });

  it('refuses a 10 MB file before parsing it', () => {
    const big = `version: 1\n# ${'x'.repeat(10 * 1024 * 1024)}\n`;
    expect(problems(big)).toEqual([
      `1:1 file is ${Buffer.byteLength(big)} bytes; the limit is 8388608 bytes. Split it, or check that this is the file you meant`,
    ]);
  });

  it('reports every error at once, sorted by position', () => {
    const found = problems(
      'version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: "${NOPE}", colour: red }\n2chat:\n  s: { apiKey: "${KEY}", groups: {} }\n',
    );
    expect(found.map((p) => p.split(' ')[0])).toEqual(['3:34', '3:44', '5:34']);
  });

  it('never echoes a secret value in an error', () => {
    const found = problems('version: 1\nwabotify:\n  w: { workspaceId: ws, apiKey: "${KEY}", apiUrl: "${KEY}" }\n', {
      KEY: 'super-secret-value',
    });
    expect(found.join('\n')).toMatch(/must be an http\(s\) URL/);
    // The URL check quotes the resolved value, which here is the secret: it must not appear.
    expect(found.join('\n')).not.toContain('super-secret-value');
  });
});
