import { isScalar } from 'yaml';
import { parseDuration } from '../shared/duration.js';
import { isGlob } from '../shared/glob.js';
import { CHAT_ID, normaliseChatId, normaliseE164 } from '../shared/ids.js';
import { registerSecret } from '../shared/redact.js';
import { Secret } from '../shared/secret.js';
import type { SourcePosition, SourceProblem } from '../shared/source-error.js';
import { parseRate } from '../shared/token-bucket.js';
import type { YamlSource } from '../shared/yaml-source.js';
import { entryIndex, exactIdsMatch, makeEntry } from './entry.js';
import {
  type AccountConfig,
  type CollectionPolicy,
  DEFAULT_API_URLS,
  type Entry,
  type GreenApiAccountConfig,
  type GreenApiInstanceConfig,
  type GroupPolicy,
  type MessagePolicy,
  type Safety,
  type SentBy,
  type TwoChatAccountConfig,
  type WabotifyAccountConfig,
} from './model.js';

/** How a collection's string entries are read: which ids they name and how they are normalised. */
type EntryKind = 'green-contact' | 'green-group' | 'instance' | 'plain' | 'number' | 'message';

type Raw = Record<string, unknown>;
type Path = (string | number)[];

/**
 * Builds the typed model from a schema-valid, interpolated value, and runs the checks the schema
 * cannot express. Every problem is collected (not only the first) with its position.
 */
export class ModelBuilder {
  readonly problems: SourceProblem[] = [];
  /**
   * @param resolved the schema-valid value after `${VAR}` substitution
   * @param variables for each interpolated string (path joined with NUL), the variables it read
   */
  constructor(
    private readonly source: YamlSource,
    private readonly resolved: Raw,
    private readonly variables: ReadonlyMap<string, readonly string[]>,
  ) {}

  private at(path: Path, key?: string): SourcePosition {
    return this.source.locate(path, key);
  }

  private problem(path: Path, message: string, key?: string): void {
    this.problems.push({ file: this.source.file, ...this.at(path, key), message });
  }

  accounts(root: Raw, fileSafety: Safety): AccountConfig[] {
    const out: AccountConfig[] = [];
    for (const [name, raw] of entriesOf(root['green-api'])) out.push(this.greenAccount(name, raw, fileSafety));
    for (const [name, raw] of entriesOf(root['wabotify'])) out.push(this.wabotifyAccount(name, raw, fileSafety));
    for (const [name, raw] of entriesOf(root['2chat'])) out.push(this.twoChatAccount(name, raw, fileSafety));
    return out;
  }

  safety(raw: unknown, base: Safety): Safety {
    const r = (raw ?? {}) as Raw;
    return {
      maxDeletePercent: typeof r['maxDeletePercent'] === 'number' ? r['maxDeletePercent'] : base.maxDeletePercent,
      minItems: typeof r['minItems'] === 'number' ? r['minItems'] : base.minItems,
    };
  }

  private secret(path: Path): Secret {
    let v: unknown = this.resolved;
    for (const seg of path) v = (v as Raw)[seg as string];
    return new Secret(String(v), this.variables.get(path.join('\u0000'))?.join(', ') ?? path.join('.'));
  }

  private url(raw: unknown, path: Path, fallback: string): string {
    if (raw === undefined) return fallback;
    const text = String(raw);
    try {
      const u = new URL(text);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      // Credentials in the URL (`https://user:${PASS}@host`) are secrets like any token.
      if (u.password !== '') {
        registerSecret(u.password);
        registerSecret(decodeURIComponent(u.password));
      }
      return text.replace(/\/+$/, '');
    } catch {
      // Never quote the resolved value: the variable may hold a secret.
      const names = this.variables.get(path.join('\u0000')) ?? [];
      this.problem(
        path,
        `\`${path.join('.')}\` must be an http(s) URL, but ${names.map((n) => `\${${n}}`).join(', ') || 'its value'} does not resolve to one`,
      );
      return fallback;
    }
  }

  private rateLimits(raw: unknown, path: Path): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of entriesOf(raw)) {
      if (parseRate(String(v)) === undefined)
        this.problem([...path, k], `rate limit must be like 5/s or 120/m, got ${JSON.stringify(v)}`);
      out[k] = String(v);
    }
    return out;
  }

  private greenAccount(name: string, raw: Raw, fileSafety: Safety): GreenApiAccountConfig {
    const path = ['green-api', name];
    const apiUrl = this.url(raw['apiUrl'], [...path, 'apiUrl'], DEFAULT_API_URLS['green-api']);
    const partnerRaw = raw['partner'] as Raw | undefined;
    const partner = partnerRaw
      ? {
          token: this.secret([...path, 'partner', 'token']),
          apiUrl: this.url(partnerRaw['apiUrl'], [...path, 'partner', 'apiUrl'], apiUrl),
          ...optional(
            'instances',
            this.collection(partnerRaw['instances'], [...path, 'partner', 'instances'], 'instance', fileSafety),
          ),
        }
      : undefined;
    const instances: GreenApiInstanceConfig[] = [];
    for (const [idText, instRaw] of entriesOf(raw['instances'])) {
      const ipath = [...path, 'instances', idText];
      const id = Number(idText);
      if (instRaw['token'] === undefined && !partner) {
        this.problem(
          ipath,
          `instance ${idText} has no token: add \`token: \${GREEN_API_TOKEN_${idText}}\`, or give the account a \`partner\` token`,
        );
      }
      const contacts = this.collection(instRaw['contacts'], [...ipath, 'contacts'], 'green-contact', fileSafety);
      const groups = this.collection(instRaw['groups'], [...ipath, 'groups'], 'green-group', fileSafety);
      instances.push({
        id,
        ...optional('token', instRaw['token'] !== undefined ? this.secret([...ipath, 'token']) : undefined),
        apiUrl: this.url(instRaw['apiUrl'], [...ipath, 'apiUrl'], apiUrl),
        ...optional('contacts', contacts),
        ...optional(
          'groups',
          groups
            ? ({
                ...groups,
                allowLastAdminLeave: Boolean((instRaw['groups'] as Raw)['allowLastAdminLeave']),
              } satisfies GroupPolicy)
            : undefined,
        ),
        at: this.at(ipath),
      });
      if (partner?.instances && partnerWouldDelete(partner.instances, idText)) {
        this.problem(
          ipath,
          `instance ${idText} is managed here but \`partner.instances\` would delete it; add it to partner.instances.keep, or drop this section`,
        );
      }
    }
    instances.sort((a, b) => a.id - b.id);
    return {
      provider: 'green-api',
      name,
      apiUrl,
      ...optional('partner', partner),
      instances,
      rateLimits: this.rateLimits(raw['rateLimits'], [...path, 'rateLimits']),
    };
  }

  private wabotifyAccount(name: string, raw: Raw, fileSafety: Safety): WabotifyAccountConfig {
    const path = ['wabotify', name];
    return {
      provider: 'wabotify',
      name,
      workspaceId: String(raw['workspaceId']),
      apiKey: this.secret([...path, 'apiKey']),
      apiUrl: this.url(raw['apiUrl'], [...path, 'apiUrl'], DEFAULT_API_URLS.wabotify),
      ...optional('contacts', this.collection(raw['contacts'], [...path, 'contacts'], 'plain', fileSafety)),
      rateLimits: this.rateLimits(raw['rateLimits'], [...path, 'rateLimits']),
    };
  }

  private twoChatAccount(name: string, raw: Raw, fileSafety: Safety): TwoChatAccountConfig {
    const path = ['2chat', name];
    const messages = new Map<string, MessagePolicy>();
    for (const [numberText, policyRaw] of entriesOf(raw['messages'])) {
      const mpath = [...path, 'messages', numberText];
      const number = normaliseE164(numberText);
      if (!number) {
        this.problem(mpath, `\`${numberText}\` is not a phone number`);
        continue;
      }
      if (messages.has(number)) this.problem(mpath, `messages for ${number} are declared twice`);
      const policy = this.messagePolicy(policyRaw, mpath, fileSafety);
      if (policy) messages.set(number, policy);
    }
    return {
      provider: '2chat',
      name,
      apiKey: this.secret([...path, 'apiKey']),
      apiUrl: this.url(raw['apiUrl'], [...path, 'apiUrl'], DEFAULT_API_URLS['2chat']),
      ...optional('numbers', this.collection(raw['numbers'], [...path, 'numbers'], 'number', fileSafety)),
      ...optional('contacts', this.collection(raw['contacts'], [...path, 'contacts'], 'plain', fileSafety)),
      messages,
      rateLimits: this.rateLimits(raw['rateLimits'], [...path, 'rateLimits']),
    };
  }

  private messagePolicy(raw: Raw, path: Path, fileSafety: Safety): MessagePolicy | undefined {
    const base = this.collection(
      { remove: raw['remove'], protect: raw['protect'], safety: raw['safety'], allowEmpty: raw['allowEmpty'] },
      path,
      'message',
      fileSafety,
    );
    if (!base) return undefined;
    if (raw['sentBy'] !== undefined && raw['olderThan'] === undefined) {
      this.problem(
        [...path, 'sentBy'],
        '`sentBy` only narrows `olderThan`: add `olderThan` (e.g. 24h), or list the messages under `remove`',
      );
    }
    const olderThanMs = raw['olderThan'] !== undefined ? parseDuration(String(raw['olderThan'])) : undefined;
    const lookBackMs = raw['lookBack'] !== undefined ? parseDuration(String(raw['lookBack'])) : undefined;
    if (olderThanMs !== undefined && lookBackMs !== undefined && lookBackMs <= olderThanMs) {
      this.problem(
        [...path, 'lookBack'],
        `\`lookBack\` (${String(raw['lookBack'])}) must be longer than \`olderThan\` (${String(raw['olderThan'])}), or no message would ever be old enough to delete`,
      );
    }
    return {
      ...base,
      ...optional('olderThanMs', olderThanMs),
      ...optional('sentBy', raw['sentBy'] as SentBy[] | undefined),
      ...optional('lookBackMs', lookBackMs),
    };
  }

  private collection(raw: unknown, path: Path, kind: EntryKind, fileSafety: Safety): CollectionPolicy | undefined {
    if (raw === undefined || raw === null) return undefined;
    const r = raw as Raw;
    const list = (key: 'keep' | 'remove' | 'protect') => this.entries(r[key], [...path, key], kind, key === 'remove');
    const keep = list('keep');
    const remove = list('remove');
    const protect = list('protect');
    this.checkContradictions(path, keep, remove, protect);
    // Every exact contact id was normalised to a chat id (idEntry: normaliseChatId, or refused).
    if (kind === 'green-contact') for (const l of [keep, remove, protect]) exactIdsMatch(l, CHAT_ID);
    return {
      prune: r['prune'] === true,
      keep,
      remove,
      protect,
      safety: this.safety(r['safety'], fileSafety),
      ...(r['allowEmpty'] === true ? { allowEmpty: true } : {}),
      at: this.at(path),
    };
  }

  private entries(raw: unknown, path: Path, kind: EntryKind, isRemove: boolean): Entry[] {
    if (!Array.isArray(raw)) return [];
    const out: Entry[] = [];
    const first = new Map<string, Entry>();
    raw.forEach((item: unknown, i) => {
      const epath = [...path, i];
      const entry = this.entry(item, epath, kind);
      if (!entry) return;
      if (entry.allowLastAdminLeave !== undefined && !isRemove) {
        this.problem(epath, '`allowLastAdminLeave` belongs on `remove` entries (or on the whole `groups` collection)');
      }
      const key = `${entry.field}:${entry.pattern}`;
      const prev = first.get(key);
      if (prev) this.problem(epath, `duplicate entry \`${entry.text}\` (first at line ${prev.at.line})`);
      else first.set(key, entry);
      out.push(entry);
    });
    return out;
  }

  private entry(item: unknown, path: Path, kind: EntryKind): Entry | undefined {
    const at = this.at(path);
    if (typeof item === 'number' && !Number.isSafeInteger(item)) {
      const node = this.source.nodeAt(path);
      const written = node && isScalar(node) && typeof node.source === 'string' ? node.source : String(item);
      this.problem(
        path,
        `\`${written}\` is not exact as a YAML number (beyond 2^53 it would read as ${String(item)}); quote it: "${written}"`,
      );
      return undefined;
    }
    if (typeof item === 'number' || typeof item === 'string')
      return this.idEntry(String(item), String(item), at, kind, path, {});
    const obj = item as Raw;
    const allow =
      typeof obj['allowLastAdminLeave'] === 'boolean' ? { allowLastAdminLeave: obj['allowLastAdminLeave'] } : {};
    if (typeof obj['id'] === 'string') return this.idEntry(obj['id'], `{id: ${obj['id']}}`, at, kind, path, allow);
    const name = String(obj['name']);
    return makeEntry({ text: `{name: ${name}}`, field: 'name', pattern: name, exact: !isGlob(name), at, ...allow });
  }

  private idEntry(
    value: string,
    text: string,
    at: SourcePosition,
    kind: EntryKind,
    path: Path,
    allow: { allowLastAdminLeave?: boolean },
  ): Entry | undefined {
    if (isGlob(value)) {
      const pattern = idGlob(kind, value);
      if (pattern === undefined) {
        this.problem(
          path,
          `\`${value}\` can never match a ${kind === 'number' ? 'number (+digits)' : 'chat id (digits@c.us or digits@lid)'}; write a phone glob such as ${kind === 'number' ? '"+52155*"' : '"+7987*" or 7987*@c.us'}`,
        );
        return undefined;
      }
      return makeEntry({ text, field: 'id', pattern, exact: false, at, ...allow });
    }
    let id: string | undefined = value;
    if (kind === 'green-contact') id = normaliseChatId(value);
    else if (kind === 'number') id = normaliseE164(value);
    else if (kind === 'instance') id = /^[0-9]{1,10}$/.test(value) ? String(Number(value)) : undefined; // "0110100001" is 110100001
    if (id === undefined) {
      this.problem(
        path,
        `\`${value}\` is not a valid ${kind === 'green-contact' ? 'chat id or phone number' : kind === 'number' ? 'phone number' : 'instance id'}`,
      );
      return undefined;
    }
    return makeEntry({ text, field: 'id', pattern: id, exact: true, at, ...allow });
  }

  private checkContradictions(path: Path, keep: Entry[], remove: Entry[], protect: Entry[]): void {
    // The lists' indexes (config/entry.ts), made once here and used again by the planner.
    const exactIds = (list: Entry[]) => {
      const { exactIds: at } = entryIndex(list);
      return { get: (id: string) => (at.has(id) ? list[at.get(id)!] : undefined) };
    };
    const kept = exactIds(keep);
    const protectedIds = exactIds(protect);
    entryIndex(remove);
    for (const r of remove) {
      if (!r.exact || r.field !== 'id') continue;
      const k = kept.get(r.pattern);
      if (k)
        this.problems.push({
          file: this.source.file,
          ...r.at,
          message: `\`${r.text}\` is both kept (line ${k.at.line}) and removed in \`${path.join('.')}\`; drop one of them`,
        });
      const p = protectedIds.get(r.pattern);
      if (p)
        this.problems.push({
          file: this.source.file,
          ...r.at,
          message: `\`${r.text}\` is protected (line ${p.at.line}) and listed under remove; protection wins, so drop it from remove`,
        });
    }
  }
}

const PHONE_GLOB = /^\+?[0-9 ().*?-]*[0-9][0-9 ().*?-]*$/;

/**
 * A glob over ids, normalised the way exact ids are: a phone-looking glob (`"+7 987*"`, `7987654321?`)
 * becomes a glob over what the provider lists (`7987*@c.us`, `+52155*`) instead of silently matching
 * nothing. Undefined when the glob can never match an id of this kind.
 */
function idGlob(kind: EntryKind, glob: string): string | undefined {
  if (kind === 'green-contact') {
    if (glob.includes('@')) return /^[0-9*?]*@[a-z.*?]*$/.test(glob) ? glob : undefined;
    if (!PHONE_GLOB.test(glob)) return glob;
    return `${glob.replace(/[^0-9*?]/g, '')}@c.us`;
  }
  if (kind === 'number') {
    if (!PHONE_GLOB.test(glob))
      return glob.startsWith('+') || glob.startsWith('*') || glob.startsWith('?') ? glob : undefined;
    return `+${glob.replace(/[^0-9*?]/g, '')}`;
  }
  return glob;
}

/** Whether the partner's instance policy would certainly delete this id (names cannot be known offline). */
function partnerWouldDelete(policy: CollectionPolicy, id: string): boolean {
  const matches = (list: readonly Entry[]) => list.some((e) => e.field === 'id' && e.regex.test(id));
  const mightMatchByName = (list: readonly Entry[]) => list.some((e) => e.field === 'name');
  if (matches(policy.protect) || matches(policy.keep)) return false;
  if (policy.remove.some((e) => e.field === 'id' && e.exact && e.pattern === id)) return true;
  return policy.prune && !mightMatchByName(policy.keep) && !mightMatchByName(policy.protect);
}

function entriesOf(x: unknown): [string, Raw][] {
  return x && typeof x === 'object' ? (Object.entries(x) as [string, Raw][]) : [];
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
