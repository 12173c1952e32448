/**
 * Masking of personal data in everything chatstate prints (`privacy: { mask: true }`, `--mask`).
 * Pure functions: the renderers call them at the points where they show an id, a name or a line
 * of free text. The plan file is never masked (apply needs the real ids).
 *
 * - Phone numbers keep their country calling code, the first three digits of the national number
 *   when at least five digits stay hidden, and the last two digits: `+49 176 ••••• 01`. The hidden
 *   part is always five dots, so its length is not shown either.
 * - Ids that contain a phone number are masked the same way (`49 176 ••••• 01@c.us`, the phone part
 *   of an old-style group id `1 555 ••••• 67-1587570015@g.us`); LIDs keep their last two digits.
 * - Names of people (contacts) keep the first character of each word: `J••• D••`. Group subjects,
 *   instance and number names, instance ids, message ids and counts stay readable.
 */
import type { CollectionKind } from '../model/observed.js';

/** The hidden part of a masked number, always the same length. */
const HIDDEN = '•••••';

/**
 * Country calling codes (ITU-T E.164): `1` and `7` have one digit, the ones below two; every other
 * code has three. This is the whole rule, so the table stays small.
 */
const TWO_DIGIT_CODES = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

/** The calling code at the start of an international number's digits. */
export function callingCode(digits: string): string {
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  if (TWO_DIGIT_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/** `4917600000001` → `49 176 ••••• 01` (no plus: callers add it where the original had one). */
export function maskPhoneDigits(digits: string): string {
  if (digits.length < 7) return `${HIDDEN}${digits.slice(-2)}`;
  const cc = callingCode(digits);
  const national = digits.slice(cc.length);
  const prefix = national.length - 2 - 3 >= 5 ? `${national.slice(0, 3)} ` : '';
  return `${cc} ${prefix}${HIDDEN} ${digits.slice(-2)}`;
}

/** A phone number as written (`+52 155 3333 4444`) → `+52 155 ••••• 44`. */
export function maskPhone(written: string): string {
  const digits = written.replace(/[^0-9]/g, '');
  return `${written.trimStart().startsWith('+') ? '+' : ''}${maskPhoneDigits(digits)}`;
}

/** A person's name: the first character of each word, dots for the rest (`Jane Doe` → `J••• D••`). */
export function maskName(name: string): string {
  return name.replace(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*/gu, (word) => {
    const first = String.fromCodePoint(word.codePointAt(0)!);
    return first + '•'.repeat([...word].length - 1);
  });
}

/** An id of any kind: only ids that hold a phone number or a LID are masked; the rest stay as they are. */
export function maskId(id: string): string {
  let m = /^([0-9]{5,20})@c\.us$/.exec(id);
  if (m) return `${maskPhoneDigits(m[1]!)}@c.us`;
  m = /^([0-9]+)@lid$/.exec(id);
  if (m) return `${HIDDEN}${m[1]!.slice(-2)}@lid`;
  m = /^([0-9]{7,15})-([0-9]+)@g\.us$/.exec(id);
  if (m) return `${maskPhoneDigits(m[1]!)}-${m[2]!}@g.us`;
  if (/^\+[0-9]{6,15}$/.test(id)) return `+${maskPhoneDigits(id.slice(1))}`;
  return id;
}

/** Kinds whose item names are people's names. */
const PERSONAL: ReadonlySet<CollectionKind> = new Set(['contacts']);

/**
 * Free text (reasons, warnings, addresses, request lines, YAML): chat ids, LIDs, old group ids,
 * `+`-numbers, bare runs of 11 to 15 digits, and `{name: …}` entries of people.
 * @param personal whether `{name: …}` entries here name people (false: group subjects, instance names)
 */
export function maskText(text: string, personal = true): string {
  let out = text
    .replace(/(?<![0-9])[0-9]{5,20}@c\.us|(?<![0-9])[0-9]+@lid|(?<![0-9])[0-9]{7,15}-[0-9]+@g\.us/g, (id) => maskId(id))
    // The same ids URL-encoded in request lines (`…-5215500000003%40c.us`).
    .replace(/(?<![0-9])([0-9]{5,20})%40c\.us/g, (_all, d: string) => `${maskPhoneDigits(d)}%40c.us`)
    .replace(/\+[0-9][0-9 ().-]*[0-9]/g, (p) => {
      const n = p.replace(/[^0-9]/g, '').length;
      return n >= 6 && n <= 15 ? maskPhone(p) : p;
    })
    .replace(/(?<![\w.+•-])[0-9]{11,15}(?![\w•-])/g, (d) => maskPhoneDigits(d));
  if (personal)
    out = out.replace(
      /(\{\s*name:\s*)([^}]*)(\})/g,
      (_all, open: string, value: string, close: string) => `${open}${maskName(value)}${close}`,
    );
  return out;
}

/** What the renderers call: the identity when masking is off. */
export interface Masker {
  readonly enabled: boolean;
  id(id: string): string;
  /** A resource's name, masked when the collection holds people. */
  name(name: string, kind: CollectionKind): string;
  text(text: string, kind?: CollectionKind): string;
}

export const NO_MASK: Masker = {
  enabled: false,
  id: (id) => id,
  name: (name) => name,
  text: (text) => text,
};

export const MASK: Masker = {
  enabled: true,
  id: maskId,
  name: (name, kind) => (PERSONAL.has(kind) ? maskName(name) : name),
  text: (text, kind) => maskText(text, kind === undefined || PERSONAL.has(kind)),
};

export const masker = (enabled: boolean): Masker => (enabled ? MASK : NO_MASK);

/** The collection kind an action type works on (for names in action lists). */
export function kindOfAction(type: string): CollectionKind {
  if (type === 'leave-group') return 'groups';
  if (type === 'delete-instance' || type === 'logout-instance') return 'instances';
  if (type === 'delete-number') return 'numbers';
  if (type === 'delete-message') return 'messages';
  return 'contacts';
}

const UNMASKED_KEYS = new Set([
  // chatstate's own name and version (a plan's `tool`): not personal data.
  'tool',
  'configDigest',
  'fingerprint',
  'digest',
  'createdAt',
  'expiresAt',
  'kind',
  'type',
  'status',
  'provider',
]);
const NAME_KEYS = new Set([
  'name',
  'names',
  'contactName',
  'firstName',
  'lastName',
  'lastname',
  'first_name',
  'last_name',
]);
/** Keys whose values are phone numbers however short (Wabotify's platformSenderPhone has 8 digits). */
const PHONE_KEYS = new Set(['phone', 'remote', 'platformSenderPhone', 'wid', 'phone_number']);
const KINDS: ReadonlySet<string> = new Set(['instances', 'contacts', 'groups', 'numbers', 'messages']);

/**
 * A masked copy of a JSON value (a plan or report printed with `--format json --mask`): names by the
 * nearest `kind` (collections) or `type` (actions) above them, every other string as free text.
 */
export function maskJson(value: unknown, m: Masker, kind?: CollectionKind): unknown {
  if (!m.enabled) return value;
  if (typeof value === 'string') return m.text(value, kind);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, m, kind));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const here: CollectionKind | undefined =
    typeof obj['kind'] === 'string' && KINDS.has(obj['kind'])
      ? (obj['kind'] as CollectionKind)
      : typeof obj['type'] === 'string' && obj['type'].includes('-')
        ? kindOfAction(obj['type'])
        : kind;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = m.text(k, here);
    if (UNMASKED_KEYS.has(k)) out[key] = v;
    else if (k === 'email' && typeof v === 'string') out[key] = v.replace(/^[^@]+/, (local) => maskName(local));
    else if (PHONE_KEYS.has(k) && typeof v === 'string' && /^\+?[0-9][0-9 ().-]{3,}$/.test(v)) out[key] = maskPhone(v);
    else if (NAME_KEYS.has(k))
      out[key] =
        typeof v === 'string'
          ? m.name(v, here ?? 'contacts')
          : Array.isArray(v)
            ? v.map((n) => (typeof n === 'string' ? m.name(n, here ?? 'contacts') : maskJson(n, m, here)))
            : maskJson(v, m, here);
    else out[key] = maskJson(v, m, here);
  }
  return out;
}
