import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
  type YAMLMap,
} from 'yaml';
import { SourceError, type SourcePosition, type SourceProblem } from './source-error.js';

/** Limits that keep a hostile file from exhausting memory or time. */
export interface YamlLimits {
  readonly maxBytes: number;
  readonly maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 8 * 1024 * 1024, maxAliasCount: 100 };

/**
 * A parsed YAML (or JSON) file that still knows where every node came from, so that schema and
 * semantic errors found later can point at `file:line:col`.
 */
export class YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  private readonly lines: LineCounter;
  /** Each mapping's pairs by key text, built the first time the mapping is walked through. */
  private readonly keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  private constructor(file: string, doc: Document.Parsed, lines: LineCounter) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
  }

  /** Parses `bytes` strictly: UTF-8 only, unique keys, bounded size and aliases. Throws SourceError. */
  static parse(file: string, bytes: Uint8Array | string, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlSource {
    const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
    if (size > limits.maxBytes) {
      throw new SourceError([
        {
          file,
          line: 1,
          col: 1,
          message: `file is ${size} bytes; the limit is ${limits.maxBytes} bytes. Split it, or check that this is the file you meant`,
        },
      ]);
    }
    const text = typeof bytes === 'string' ? bytes : decodeUtf8(file, bytes);
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true });
    const source = new YamlSource(file, doc, lines);
    const lineTexts = text.split('\n');
    const problems: SourceProblem[] = doc.errors.map((e) => {
      const at = e.linePos?.[0] ?? { line: 1, col: 1 };
      return {
        file,
        line: at.line,
        col: at.col,
        message: stripPosition(firstLine(e.message)) + hintFor(lineTexts[at.line - 1] ?? ''),
      };
    });
    if (problems.length > 0) throw new SourceError(problems);
    return source;
  }

  /** The plain JS value. Alias expansion is bounded (a "billion laughs" file is refused). */
  toValue(maxAliasCount = DEFAULT_YAML_LIMITS.maxAliasCount): unknown {
    try {
      return this.doc.toJS({ maxAliasCount });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/alias/i.test(message)) {
        throw new SourceError([
          {
            file: this.file,
            ...this.firstAliasPosition(),
            message: `too many alias expansions (limit ${maxAliasCount}); refusing a file that could exhaust memory`,
          },
        ]);
      }
      throw err;
    }
  }

  /** Position of the offset `offset` in the file. */
  positionAt(offset: number): SourcePosition {
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  /**
   * Where the node at `path` starts. With `key`, where that key of the mapping at `path` is written
   * (for "unknown key" errors). Falls back to the deepest node that exists.
   */
  locate(path: readonly (string | number)[], key?: string): SourcePosition {
    let node: unknown = this.doc.contents;
    let last: Node | null = isNode(node) ? node : null;
    const segments = key === undefined ? path : [...path, key];
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      const wantKey = key !== undefined && i === segments.length - 1;
      if (isMap(node)) {
        const pair = this.pair(node, String(seg));
        if (!pair) break;
        if (wantKey && isNode(pair.key)) return this.startOf(pair.key);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
      } else {
        break;
      }
      if (isNode(node)) last = node;
      else break;
    }
    return last ? this.startOf(last) : { line: 1, col: 1 };
  }

  /** The node at `path` (map keys compared as text, so `1101000001:` is found by "1101000001"). */
  nodeAt(path: readonly (string | number)[]): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(node)) node = this.pair(node, String(seg))?.value;
      else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
      else return undefined;
    }
    return isNode(node) ? node : undefined;
  }

  /**
   * The pair of `map` whose key reads `key`. Each mapping is indexed once, so finding the position
   * of every entry costs one walk of the document, not entries × keys (the first of duplicate keys
   * wins, as a linear search would find it).
   */
  private pair(map: YAMLMap, key: string): Pair | undefined {
    let index = this.keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        const k = keyText(p.key);
        if (k !== undefined && !index.has(k)) index.set(k, p);
      }
      this.keyIndex.set(map, index);
    }
    return index.get(key);
  }

  startOf(node: Node): SourcePosition {
    return this.positionAt(node.range?.[0] ?? 0);
  }

  private firstAliasPosition(): SourcePosition {
    let at: SourcePosition = { line: 1, col: 1 };
    visit(this.doc, {
      Alias: (_key, node) => {
        at = this.startOf(node);
        return visit.BREAK;
      },
    });
    return at;
  }
}

/** The commonest YAML mistake in chatstate files: `{ apiKey: ${KEY} }` (braces end the flow map). */
function hintFor(lineText: string): string {
  return /[{[][^"']*\$\{/.test(lineText) ? '; quote ${VAR} references inside { } and [ ]: "${VAR}"' : '';
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'range' in x;
}

function keyText(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' ? k : undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/** The yaml package repeats the position in its message; ours is already in front. */
function stripPosition(s: string): string {
  return s.replace(/ at line \d+, column \d+:?$/, '');
}

function decodeUtf8(file: string, bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
  // A U+FFFD in the decoded text is either written in the file (bytes EF BF BD) or a replaced invalid
  // sequence; the first of the latter is where the error is.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let index = text.indexOf('\uFFFD');
  while (index >= 0) {
    const prefix = text.slice(0, index);
    const offset = bom + Buffer.byteLength(prefix);
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) {
      const lines = prefix.split('\n');
      throw new SourceError([
        {
          file,
          line: lines.length,
          col: (lines.at(-1)?.length ?? 0) + 1,
          message: `file is not valid UTF-8 (byte ${offset}); save it as UTF-8`,
        },
      ]);
    }
    index = text.indexOf('\uFFFD', index + 1);
  }
  return text;
}
