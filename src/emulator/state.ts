import { readFileSync } from 'node:fs';
import { schemaProblems } from '../shared/schema-problems.js';
import { schemaValidator } from '../shared/schema-validation.js';
import { SourceError, type SourceProblem } from '../shared/source-error.js';
import { DEFAULT_YAML_LIMITS, YamlSource } from '../shared/yaml-source.js';

/** The emulator's world, in the shape of `schemas/emulator-state.schema.json`. */
export interface EmulatorState {
  now?: string;
  'green-api'?: { partners?: GreenPartner[]; instances?: GreenInstance[] };
  wabotify?: { workspaces?: WabotifyWorkspace[] };
  '2chat'?: { accounts?: TwoChatAccount[] };
}

/** GetStateInstance's documented states; `suspended` is accepted from older state files and read as `sleepMode`. */
export type InstanceState =
  | 'notAuthorized'
  | 'authorized'
  | 'blocked'
  | 'sleepMode'
  | 'starting'
  | 'yellowCard'
  | 'suspended'
  | null;

export interface GreenPartner {
  token: string;
  instances: number[];
}

export interface GreenInstance {
  idInstance: number;
  apiTokenInstance: string;
  name?: string;
  state?: InstanceState;
  wid: string;
  lid?: string;
  typeInstance?: string;
  tariff?: string;
  isFree?: boolean;
  isPartner?: boolean;
  timeCreated?: string;
  expirationDate?: string;
  isExpired?: boolean;
  deleted?: boolean;
  timeDeleted?: string;
  transientEmptyLists?: number;
  /** Personal chat ids that are not WhatsApp users (addContact answers 404 for them). */
  notOnWhatsApp?: string[];
  /** GetContacts: contact data may take up to 5 minutes to update. A deleted contact stays listed this long. */
  contactsLagMs?: number;
  /** Deleted contacts still listed during `contactsLagMs` (written by the emulator). */
  deletedContacts?: { contact: GreenContact; deletedAt: string }[];
  /** Groups the instance left, still listed by getChats for a minute (written by the emulator). */
  leftGroups?: (GreenGroup & { leftAt: string })[];
  contacts?: GreenContact[];
  groups?: GreenGroup[];
}

export interface GreenContact {
  id: string;
  /** The contact's LID: the service then lists it by this id (FAQ on LID) and GetContactInfo gives its phone. */
  lid?: string;
  name?: string;
  contactName?: string;
}

export interface GreenGroup {
  id: string;
  subject: string;
  owner?: string;
  creation?: number;
  participants: { id: string; isAdmin?: boolean; isSuperAdmin?: boolean }[];
}

export interface WabotifyWorkspace {
  id: string;
  apiKey: string;
  pageSize?: number;
  /** A successful delete-batch answers the JSON wrapper (default) or an empty body: the documentation allows both. */
  deleteBatchBody?: 'wrapper' | 'empty';
  /** A batch naming an unknown id: nothing deleted (default), or the known ids deleted; 404 either way. */
  batchOn404?: 'all-or-nothing' | 'delete-found';
  contacts?: WabotifyContact[];
}

export interface WabotifyContact {
  id: string;
  name?: string;
  lastname?: string;
  email?: string;
  platformSenderPhone?: string;
  platformSenderName?: string;
  platformId?: number;
  creationDate?: string;
  tags?: string[];
}

export interface TwoChatAccount {
  apiKey: string;
  account?: string;
  requestsPerMinute?: number;
  /** A trial account: `GET /open/info` says `on_trial: true`; the limit defaults to 10/min. */
  onTrial?: boolean;
  /** Answer `GET /open/info` with this HTTP status (an error), to exercise the client's fallback. */
  infoStatus?: number;
  /** How message `created_at` is written: ISO with `Z` (default) or `YYYY-MM-DD HH:MM:SS` without a zone (UTC clock time). */
  messageTimes?: 'iso' | 'zoneless';
  numbers?: TwoChatNumber[];
  contacts?: TwoChatContact[];
}

export interface TwoChatNumber {
  uuid: string;
  phone_number: string;
  friendly_name?: string;
  connection_status?: 'C' | 'D' | 'F';
  enabled?: boolean;
  channel_type?: string;
  created_at?: string;
  messages?: TwoChatMessage[];
  /** Groups of the number with their uuid and admin rights; groups only named by messages are derived. */
  groups?: TwoChatGroup[];
  retainedOnWhatsApp?: string[];
}

export interface TwoChatGroup {
  /** The WhatsApp group id (`…@g.us`), as in a message's `remote`. */
  id: string;
  /** The 2Chat group uuid (WAG…); derived from the number and the group id when absent. */
  uuid?: string;
  name?: string;
  /** Whether this number is an admin (`wa_is_admin`) / super admin (`wa_is_super_admin`) there. */
  admin?: boolean;
  superAdmin?: boolean;
  /** Other participants. */
  participants?: { phone_number: string; admin?: boolean; superAdmin?: boolean }[];
}

export interface TwoChatMessage {
  uuid: string;
  remote: string;
  group?: boolean;
  admin?: boolean;
  created_at: string;
  sent_by: 'api' | 'agent' | 'user';
  text?: string;
}

export interface TwoChatContact {
  uuid: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  email?: string;
  channel_uuid?: string;
}

/** Reads, validates and checks a state file. Throws SourceError listing every problem. */
export function loadEmulatorState(file: string): EmulatorState {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new SourceError([
      {
        file,
        line: 1,
        col: 1,
        message: `cannot read the state file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      },
    ]);
  }
  return parseEmulatorState(file, bytes);
}

/**
 * State files may be large: a world of 200,000 contacts (for benchmarks, or to emulate a big
 * account) is tens of megabytes. The emulator is the user's own test bench, so its state files are
 * bounded only by what one JavaScript string holds, not by the 8 MiB a chatstate config may have.
 */
const EMULATOR_STATE_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Validates a state given as text (YAML or JSON). A JSON file is read with `JSON.parse` first (the
 * yaml package needs minutes for a 200,000-contact world written as JSON, `JSON.parse` a second);
 * only when that fails, or the state has a problem, is it read again as YAML, for problems with
 * their line and column. In a JSON file, as in JavaScript, the last of two equal keys of one object
 * wins; duplicate ids (the ones that matter) are refused either way.
 */
export function parseEmulatorState(file: string, text: Uint8Array | string): EmulatorState {
  const fast = parseJson(text);
  if (
    fast !== undefined &&
    schemaValidator('emulator-state.schema.json')(fast) &&
    findDuplicateIds(fast as EmulatorState).length === 0
  ) {
    return fast as EmulatorState;
  }
  const source = YamlSource.parse(file, text, { ...DEFAULT_YAML_LIMITS, maxBytes: EMULATOR_STATE_MAX_BYTES });
  const value = source.toValue();
  const validate = schemaValidator('emulator-state.schema.json');
  if (!validate(value ?? {})) {
    throw new SourceError(schemaProblems(source, validate.errors ?? []));
  }
  const state = (value ?? {}) as EmulatorState;
  const duplicates = findDuplicateIds(state).map(
    (d): SourceProblem => ({ file, ...source.locate(d.path), message: d.message }),
  );
  if (duplicates.length > 0) throw new SourceError(duplicates);
  return state;
}

/** The value of a JSON document, or undefined (not JSON, not UTF-8, or not parseable). */
function parseJson(bytes: Uint8Array | string): unknown {
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!/^\s*\{/.test(text.slice(0, 256))) return undefined;
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

interface Duplicate {
  path: (string | number)[];
  message: string;
}

/** IDs that must be unique in their scope; the schema cannot say so. */
function findDuplicateIds(state: EmulatorState): Duplicate[] {
  const out: Duplicate[] = [];
  const check = <T>(
    items: T[] | undefined,
    id: (t: T) => string | number,
    path: (string | number)[],
    what: string,
  ): void => {
    const first = new Map<string | number, number>();
    items?.forEach((item, i) => {
      const k = id(item);
      const prev = first.get(k);
      if (prev === undefined) first.set(k, i);
      else
        out.push({ path: [...path, i], message: `duplicate ${what} ${JSON.stringify(k)} (first at item ${prev + 1})` });
    });
  };
  const green = state['green-api'];
  check(green?.instances, (i) => i.idInstance, ['green-api', 'instances'], 'idInstance');
  check(green?.partners, (p) => p.token, ['green-api', 'partners'], 'partner token');
  const known = new Set(green?.instances?.map((i) => i.idInstance));
  const owner = new Map<number, number>();
  for (const [pi, p] of (green?.partners ?? []).entries()) {
    for (const [ii, id] of p.instances.entries()) {
      const path = ['green-api', 'partners', pi, 'instances', ii];
      if (!known.has(id))
        out.push({ path, message: `partner lists instance ${id}, which is not under green-api.instances` });
      if (owner.has(id)) out.push({ path, message: `instance ${id} belongs to two partners` });
      owner.set(id, pi);
    }
  }
  green?.instances?.forEach((inst, i) => {
    check(inst.contacts, (c) => c.id, ['green-api', 'instances', i, 'contacts'], 'contact id');
    check(inst.contacts, (c) => c.lid ?? `id:${c.id}`, ['green-api', 'instances', i, 'contacts'], 'contact lid');
    check(inst.groups, (g) => g.id, ['green-api', 'instances', i, 'groups'], 'group id');
  });
  check(state.wabotify?.workspaces, (w) => w.id, ['wabotify', 'workspaces'], 'workspace id');
  for (const [i, w] of (state.wabotify?.workspaces ?? []).entries()) {
    check(w.contacts, (c) => c.id, ['wabotify', 'workspaces', i, 'contacts'], 'contact id');
  }
  const accounts = state['2chat']?.accounts;
  check(accounts, (a) => a.apiKey, ['2chat', 'accounts'], 'apiKey');
  accounts?.forEach((a, i) => {
    check(a.numbers, (n) => n.uuid, ['2chat', 'accounts', i, 'numbers'], 'number uuid');
    check(a.numbers, (n) => n.phone_number, ['2chat', 'accounts', i, 'numbers'], 'phone_number');
    check(a.contacts, (c) => c.uuid, ['2chat', 'accounts', i, 'contacts'], 'contact uuid');
    a.numbers?.forEach((n, ni) => {
      check(n.messages, (m) => m.uuid, ['2chat', 'accounts', i, 'numbers', ni, 'messages'], 'message uuid');
      check(n.groups, (g) => g.id, ['2chat', 'accounts', i, 'numbers', ni, 'groups'], 'group id');
    });
  });
  return out;
}
