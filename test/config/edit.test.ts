import { describe, expect, it } from 'vitest';
import { type Document, parseDocument } from 'yaml';
import { ensureMapPath, mapAt, setKey } from '../../src/config/edit.js';

const doc = (text: string): Document => parseDocument(text) as unknown as Document;

describe('config document edits (export)', () => {
  it('mapAt finds mappings by key text, instance ids included', () => {
    const d = doc('green-api:\n  main:\n    instances:\n      1101000001:\n        contacts: { prune: true }\n');
    expect(mapAt(d, ['green-api', 'main', 'instances', '1101000001'])?.has('contacts')).toBe(true);
    expect(mapAt(d, ['green-api', 'other'])).toBeUndefined();
    expect(mapAt(d, ['green-api', 'main', 'instances', '1101000001', 'contacts', 'prune'])).toBeUndefined();
  });

  it('setKey replaces a value in place and keeps the comment above the key; adds a missing key at the end', () => {
    const d = doc('# about a\na: 1\nb: 2\n');
    const root = mapAt(d, [])!;
    setKey(d, root, 'a', d.createNode(10));
    setKey(d, root, 'c', d.createNode(3));
    expect(d.toString()).toBe('# about a\na: 10\nb: 2\nc: 3\n');
  });

  it('ensureMapPath creates what is missing, replaces an empty entry, and keeps instance ids integer keys', () => {
    const d = doc('green-api:\n  main:\n    instances:\n      1101000002:\n');
    ensureMapPath(d, ['green-api', 'main', 'instances', '1101000002', 'contacts']);
    ensureMapPath(d, ['green-api', 'main', 'instances', '1101000003']);
    expect(mapAt(d, ['green-api', 'main', 'instances', '1101000002', 'contacts'])).toBeDefined();
    expect(d.toString()).toContain('1101000003: {}');
    expect(d.toString()).not.toContain('"1101000003"');
  });
});
