import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import type { GreenApiAccountConfig, TwoChatAccountConfig, WabotifyAccountConfig } from '../../src/config/model.js';
import { ROOT } from '../helpers/cli.js';
import { EXAMPLE_ENV } from '../helpers/world.js';

const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && f !== 'emulator-state.yaml');

describe('examples', () => {
  it('has a minimal file per provider and a multi-provider one', () => {
    expect(examples.sort()).toEqual(['2chat.yaml', 'chatstate.yaml', 'green-api.yaml', 'wabotify.yaml']);
  });

  it.each(examples)('%s validates and carries the yaml-language-server modeline', (file) => {
    const path = join(ROOT, 'examples', file);
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../schemas/chatstate.schema.json',
    );
    expect(() => loadDesired(path, { env: EXAMPLE_ENV })).not.toThrow();
  });

  it('loads examples/chatstate.yaml to the typed model, normalised', () => {
    const d = loadDesired(join(ROOT, 'examples', 'chatstate.yaml'), {
      env: { ...EXAMPLE_ENV, GREEN_API_URL: 'http://127.0.0.1:9' },
    });
    expect(d.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(d.safety).toEqual({ maxDeletePercent: 30, minItems: 10 });
    expect(d.accounts.map((a) => `${a.provider}.${a.name}`)).toEqual([
      'green-api.main',
      'wabotify.sales',
      '2chat.support',
    ]);

    const green = d.accounts[0] as GreenApiAccountConfig;
    expect(green.apiUrl).toBe('http://127.0.0.1:9');
    expect(green.partner?.token.reveal()).toBe('gac.partner-1');
    expect(green.partner?.apiUrl).toBe('http://127.0.0.1:9');
    expect(green.partner?.instances?.remove.map((e) => e.pattern)).toEqual(['1101000003']);
    const inst = green.instances[0]!;
    expect(inst.id).toBe(1101000001);
    expect(inst.token?.reveal()).toBe('tok-1101000001');
    expect(inst.contacts?.prune).toBe(true);
    expect(inst.contacts?.keep.map((e) => `${e.field}:${e.pattern}:${e.exact}`)).toEqual([
      'id:15551234567@c.us:true',
      'id:123456789012345@lid:true',
      'id:79876543210@c.us:true',
      'id:79876543211@c.us:true',
      'id:79876543215@c.us:true',
      'id:79876543216@c.us:true',
      'id:79876543217@c.us:true',
      'id:79876543218@c.us:true',
      'name:Team *:false',
    ]);
    expect(inst.contacts?.keep.at(-1)?.regex.test('Team Vera')).toBe(true);
    expect(inst.groups).toMatchObject({ prune: false, allowLastAdminLeave: false });

    const wab = d.accounts[1] as WabotifyAccountConfig;
    expect(wab).toMatchObject({ workspaceId: 'ws-1', apiUrl: 'https://api.wabotify.com' });
    expect(wab.apiKey.reveal()).toBe('wab-key-1');

    const two = d.accounts[2] as TwoChatAccountConfig;
    expect(two.numbers?.remove.map((e) => e.pattern)).toEqual(['+5215533334444']);
    expect(two.messages.get('+5215511112222')).toMatchObject({
      olderThanMs: 24 * 3600 * 1000,
      sentBy: ['agent', 'api'],
    });
  });

  it('keeps secrets out of JSON and string forms of the model', () => {
    const d = loadDesired(join(ROOT, 'examples', 'chatstate.yaml'), { env: EXAMPLE_ENV });
    const text = `${JSON.stringify(d)} ${String((d.accounts[1] as WabotifyAccountConfig).apiKey)}`;
    for (const secret of Object.values(EXAMPLE_ENV)) expect(text).not.toContain(secret);
  });
});

describe('schemas/chatstate.schema.json', () => {
  it('describes every key', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'chatstate.schema.json'), 'utf8'));
    const missing: string[] = [];
    const visit = (node: any, path: string): void => {
      if (!node || typeof node !== 'object') return;
      if (node.properties) {
        for (const [k, v] of Object.entries<any>(node.properties)) {
          const target = v.$ref ? schema.definitions[v.$ref.split('/').pop()] : v;
          if (!v.description && !target?.description) missing.push(`${path}.${k}`);
        }
      }
      for (const [k, v] of Object.entries(node)) if (typeof v === 'object') visit(v, `${path}/${k}`);
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
  });
});
