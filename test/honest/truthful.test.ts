import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { exampleEnv, TEST_TOKENS } from '../helpers/world.js';
import { cli, tempDir, writeConfig } from './cli.js';

const EXAMPLE = join(ROOT, 'examples', 'chatstate.yaml');
const AT = ['--now', '2026-11-25T12:00:00Z'];

const twoInstances = `version: 1
green-api:
  main:
    apiUrl: \${GREEN_API_URL}
    instances:
      1101000001:
        token: \${TOKEN_1}
        contacts: { prune: true, keep: [ { name: "*" } ] }
      1101000003:
        token: \${TOKEN_3}
        contacts: { prune: false, remove: [ 79876543240@c.us ] }
`;

describe('a plan with unobserved collections never says "No changes"', () => {
  it('every format names the collections that could not be observed, and exits 1', async () => {
    const emu = await emulator();
    const dir = tempDir();
    const file = writeConfig(dir, twoInstances);
    // Both tokens wrong: every collection fails with 401.
    const env = { GREEN_API_URL: emu.url, TOKEN_1: 'wrong-1', TOKEN_3: 'wrong-3' };
    const text = await cli(['plan', '-f', file, ...AT], env);
    expect(text.code).toBe(1);
    expect(text.stdout).not.toMatch(/No changes\. The accounts match/);
    expect(text.stdout).toContain(
      'No changes planned, but the plan is incomplete: 2 collections could not be observed: green-api.main/instance.1101000001/contacts, green-api.main/instance.1101000003/contacts.',
    );
    const md = await cli(['plan', '-f', file, '--format', 'markdown', ...AT], env);
    expect(md.stdout).not.toContain('No changes.');
    expect(md.stdout).toContain(
      '**No changes planned, but the plan is incomplete: 2 collections could not be observed',
    );
    expect(md.stdout).toContain('green-api.main/instance.1101000003/contacts');
    const json = await cli(['plan', '-f', file, '--format', 'json', ...AT], env);
    const parsed = JSON.parse(json.stdout) as {
      summary: { unobserved: number; unobservedCollections: string[]; text: string };
    };
    expect(parsed.summary.unobserved).toBe(2);
    expect(parsed.summary.unobservedCollections).toEqual([
      'green-api.main/instance.1101000001/contacts',
      'green-api.main/instance.1101000003/contacts',
    ]);
    expect(parsed.summary.text).not.toContain('match the configuration');
  });

  it('with some collections observed, the summary line counts the changes and still names what is missing', async () => {
    const emu = await emulator();
    const file = writeConfig(
      tempDir(),
      twoInstances.replace('{ prune: true, keep: [ { name: "*" } ] }', '{ remove: [ 79876543219@c.us ] }'),
    );
    const r = await cli(['plan', '-f', file, ...AT], {
      GREEN_API_URL: emu.url,
      TOKEN_1: 'tok-1101000001',
      TOKEN_3: 'wrong-3',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Plan: 1 to delete (1 restorable). 1 collection could not be observed: green-api.main/instance.1101000003/contacts; nothing is planned for them.',
    );
  });
});

describe('--target', () => {
  it('matching nothing is exit 1 and shows the addresses it could have meant', async () => {
    const emu = await emulator();
    const r = await cli(
      ['plan', '-f', EXAMPLE, '--target', 'green-api.main/instance.1101000009', ...AT],
      exampleEnv(emu.url),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--target "green-api.main/instance.1101000009" matches nothing');
    expect(r.stderr).toContain('  green-api.main/instance.1101000001');
    const caseSlip = await cli(['plan', '-f', EXAMPLE, '--target', 'Wabotify.sales', ...AT], exampleEnv(emu.url));
    expect(caseSlip.code).toBe(1);
    expect(caseSlip.stderr).toContain('Did you mean one of:\n  wabotify.sales\n');
  });

  it('collections outside the target are "not targeted", never "N to remove … no changes"', async () => {
    const emu = await emulator();
    const r = await cli(['plan', '-f', EXAMPLE, '--target', 'wabotify.sales', ...AT], exampleEnv(emu.url));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  instance.1101000001/contacts: not targeted');
    expect(r.stdout).not.toMatch(/3 to remove[^\n]*\n\s+no changes/);
    expect(r.stdout).toContain('Plan: 2 to delete (0 restorable) — 2 irreversible.');
    const json = JSON.parse(
      (await cli(['plan', '-f', EXAMPLE, '--target', 'wabotify.sales', '--format', 'json', ...AT], exampleEnv(emu.url)))
        .stdout,
    ) as {
      collections: { address: string; status: string; counts: { removed: number; notTargeted?: number } }[];
    };
    const contacts = json.collections.find((c) => c.address === 'green-api.main/instance.1101000001/contacts')!;
    expect(contacts).toMatchObject({ status: 'not-targeted', counts: { removed: 0, notTargeted: 3 } });
  });
});

describe('exit codes mean one thing', () => {
  it('a plan file that does not exist is exit 1 with a plain message', async () => {
    const r = await cli(['apply', join(tempDir(), 'nope.json'), ...AT], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^chatstate: plan file .*nope\.json does not exist; make one with: chatstate plan --save/);
    expect(r.stderr).not.toContain('ENOENT');
  });

  it('declining the confirmation exits 1 with "Apply cancelled"', async () => {
    const emu = await emulator();
    const r = await cli(['apply', '-f', EXAMPLE, '--journal', join(tempDir(), 'j.jsonl'), ...AT], exampleEnv(emu.url), {
      stdinTty: 'no\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('chatstate: Apply cancelled; nothing was changed.');
    expect(emu.requests().filter((q) => q.method !== 'GET' && q.operation !== 'getGroupData')).toEqual([]);
  });

  it('export --diff --detailed-exitcode exits 2 when the file and the accounts differ, 0 when they match', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const dir = tempDir();
    const file = join(dir, 'chatstate.yaml');
    copyFileSync(EXAMPLE, file);
    const differs = await cli(
      ['export', '-f', file, '--diff', '--detailed-exitcode', '--provider', 'green-api', '-q'],
      env,
    );
    expect(differs.code, differs.stderr).toBe(2);
    expect(differs.stdout).toContain('+            - 79876543219@c.us # spam-bot-1');
    expect((await cli(['export', '-f', file, '-o', file, '--force', '--provider', 'green-api', '-q'], env)).code).toBe(
      0,
    );
    const same = await cli(
      ['export', '-f', file, '--diff', '--detailed-exitcode', '--provider', 'green-api', '-q'],
      env,
    );
    expect(same.code, same.stdout).toBe(0);
  });
});

describe('misconfigured endpoints', () => {
  it('a 404 on a 2Chat list says the apiUrl probably lacks /open, not that the resource is gone', async () => {
    const emu = await emulator();
    const dir = tempDir();
    const file = writeConfig(
      dir,
      'version: 1\n2chat:\n  support:\n    apiKey: ${KEY}\n    apiUrl: ${URL}\n    contacts: { prune: false }\n',
    );
    const r = await cli(['plan', '-f', file, ...AT], { KEY: 'UAK-1', URL: emu.url });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('answered 404');
    expect(r.stdout).toContain("is probably wrong: 2Chat's ends in /open");
    expect(r.stdout).not.toContain('the resource is gone');
  });

  it('`${VAR}` inside a value is interpolated, then validated: apiUrl: ${BASE_URL}/open', async () => {
    const emu = await emulator();
    const file = writeConfig(
      tempDir(),
      'version: 1\n2chat:\n  support:\n    apiKey: ${KEY}\n    apiUrl: ${BASE_URL}/open\n    contacts: { prune: false }\n',
    );
    const ok = await cli(['plan', '-f', file, ...AT], { KEY: 'UAK-1', BASE_URL: emu.url });
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await cli(['validate', '-f', file], { KEY: 'UAK-1', BASE_URL: 'not a url' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '`2chat.support.apiUrl` must be an http(s) URL, but ${BASE_URL} does not resolve to one',
    );
  });

  it('a saved plan is bound to the endpoints it was made for: apply refuses (exit 3) when ${VAR} points elsewhere now', async () => {
    const emu = await emulator();
    const other = await emulator();
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    expect((await cli(['plan', '-f', EXAMPLE, '--save', planFile, ...AT], exampleEnv(emu.url))).code).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { endpoints: unknown[] };
    expect(plan.endpoints).toContainEqual({ account: 'wabotify.sales', apiUrl: emu.url, workspaceId: 'ws-1' });
    const sent = other.requests().length;
    const r = await cli(['apply', planFile, '--journal', join(dir, 'j.jsonl'), ...AT], {
      ...exampleEnv(emu.url),
      WABOTIFY_URL: other.url,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`the accounts' endpoints changed since the plan was made`);
    expect(r.stderr).toContain(
      `wabotify.sales: apiUrl ${emu.url}, workspace ws-1 when planned, apiUrl ${other.url}, workspace ws-1 now`,
    );
    expect(other.requests()).toHaveLength(sent);
  });
});

describe('no literal secret is echoed', () => {
  const literal = `version: 1
green-api:
  main:
    partner: { token: gac.LITERAL-PARTNER-SECRET }
    instances:
      1101000001:
        token: tok-LITERAL-INSTANCE-SECRET
        contacts: { prune: false }
wabotify:
  sales: { workspaceId: ws-1, apiKey: wab-LITERAL-KEY-SECRET }
`;
  const secrets = ['LITERAL-PARTNER-SECRET', 'LITERAL-INSTANCE-SECRET', 'LITERAL-KEY-SECRET'];

  it('a token pasted into the file is refused naming the key, in text and in --format json', async () => {
    const file = writeConfig(tempDir(), literal);
    const text = await cli(['validate', '-f', file], {});
    const json = await cli(['validate', '-f', file, '--format', 'json'], {});
    const plan = await cli(['plan', '-f', file], {});
    for (const r of [text, json, plan]) {
      expect(r.code).toBe(1);
      for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
    }
    expect(text.stderr).toContain(
      '`green-api.main.instances.1101000001.token` is a secret and must be a ${VAR} reference (e.g. ${GREEN_API_TOKEN_1101000001})',
    );
    expect(text.stderr).toContain(
      '`wabotify.sales.apiKey` is a secret and must be a ${VAR} reference (e.g. ${WABOTIFY_API_KEY})',
    );
    const errors = (JSON.parse(json.stdout) as { errors: { message: string; line: number }[] }).errors;
    expect(errors.map((e) => e.line)).toEqual([4, 7, 10]);
  });

  it('a YAML syntax error on a line holding a secret does not show it', async () => {
    for (const line of [
      'token: "tok-LITERAL-INSTANCE-SECRET',
      'token: tok-LITERAL-INSTANCE-SECRET: x',
      'token: [tok-LITERAL-INSTANCE-SECRET',
    ]) {
      const file = writeConfig(
        tempDir(),
        `version: 1\ngreen-api:\n  main:\n    instances:\n      1:\n        ${line}\n`,
      );
      for (const format of ['text', 'json']) {
        const r = await cli(['validate', '-f', file, '--format', format], {});
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).not.toContain('LITERAL-INSTANCE-SECRET');
      }
    }
  });

  it('an empty variable is reported as empty, not unset, and no default is suggested for a secret', async () => {
    const file = writeConfig(
      tempDir(),
      'version: 1\nwabotify:\n  sales:\n    workspaceId: ws-1\n    apiKey: ${WABOTIFY_API_KEY}\n    apiUrl: ${WABOTIFY_URL}\n',
    );
    const r = await cli(['validate', '-f', file], { WABOTIFY_API_KEY: '' });
    expect(r.stderr).toContain(
      `5:13: error: environment variable WABOTIFY_API_KEY is set but empty; export it with the secret's value (secrets have no default in the file)`,
    );
    expect(r.stderr).toContain(
      '6:13: error: environment variable WABOTIFY_URL is not set; export it (or write ${WABOTIFY_URL:-default})',
    );
    expect(r.stderr).not.toMatch(/WABOTIFY_API_KEY:-/);
  });
});

describe('export of an existing file keeps what the user wrote', () => {
  it('adds only ids nothing in the file matches; globs, remove lists, retention and unmanaged collections stay', async () => {
    const emu = await emulator();
    const env = exampleEnv(emu.url);
    const dir = tempDir();
    const file = join(dir, 'chatstate.yaml');
    copyFileSync(EXAMPLE, file);
    const r = await cli(['export', '-f', file, '-o', file, '--force'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = readFileSync(file, 'utf8');
    expect(out).toContain('- { name: Team * }');
    expect(out).toContain('instances: { prune: false, remove: [ 1101000003 ] }');
    expect(out).toContain('contacts: { prune: false, remove: [ { name: Test * } ] }');
    expect(out).toContain('"+5215511112222": { olderThan: 24h, sentBy: [ agent, api ] }');
    expect(out).toContain('numbers: { prune: false, remove: [ +52 155 3333 4444 ] }');
    expect(out).toContain('- 79876543219@c.us # spam-bot-1');
    // Collections the file never managed stay unmanaged: no section for instance 1101000002, no prune added.
    expect(out).not.toContain('1101000002');
    expect(out.match(/prune: true/g)).toHaveLength(2);
    expect(r.stderr).toContain('green-api.main/instance.1101000001/contacts: 3 ids added to keep');
    // The file's own rules still apply; nothing is removed for being unmentioned.
    const plan = await cli(['plan', '-f', file, '--format', 'json', ...AT], env);
    const actions = (JSON.parse(plan.stdout) as { actions: { reason: string }[] }).actions;
    expect(actions.filter((a) => a.reason === 'not kept (prune: true)')).toEqual([]);
    expect(actions.length).toBeGreaterThan(0);
    for (const t of TEST_TOKENS) expect(out).not.toContain(t);
    expect(existsSync(file)).toBe(true);
  });
});
