/**
 * The one redaction function. Everything that can reach a log, an error message, a plan or a
 * journal passes through `redact`: it masks every secret the process has loaded (registered by
 * `Secret`) and, structurally, the token segment of GREEN-API instance and partner URLs even when
 * the token was never registered (a token learned from a partner listing, a typo'd one).
 */
const secrets = new Set<string>();

/** Secrets shorter than this are not masked by value (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 4;

/**
 * The secrets by their first MIN_SECRET_LENGTH characters, made when first needed after a
 * registration: a text is then checked in one walk, whatever the number of secrets (a config of
 * 1,000 instances has 1,000 tokens, and every observed name is checked).
 */
let byPrefix: Map<string, string[]> | undefined;

/** The length of the shortest registered secret: a shorter text holds none (most names are shorter than any token). */
let shortest = Number.POSITIVE_INFINITY;

/**
 * Registers a secret in every form it can take in text: as written, and URL-encoded (a token with
 * `/`, `+` or spaces appears encoded in a URL path or query, and in errors that quote the URL).
 */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  secrets.add(value);
  for (const form of [encodeURIComponent(value), encodeURI(value), encodeURIComponent(value).replace(/%20/g, '+')])
    if (form !== value) secrets.add(form);
  // Encoding never shortens a text, so the value as written is the shortest of its forms.
  shortest = Math.min(shortest, value.length);
  byPrefix = undefined;
}

/**
 * Forgets every registered secret. A CLI run is one process with one configuration; a host that runs
 * several configurations in one process (the test suite, where files share a worker) starts each
 * afresh, so one configuration's secrets do not mask another's text.
 */
export function forgetSecrets(): void {
  secrets.clear();
  shortest = Number.POSITIVE_INFINITY;
  byPrefix = undefined;
}

function prefixIndex(): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const s of secrets) {
    const key = s.slice(0, MIN_SECRET_LENGTH);
    const list = index.get(key);
    if (list) list.push(s);
    else index.set(key, [s]);
  }
  return index;
}

/**
 * Whether `text` holds a registered secret (cheap: no pattern work, one walk of the text). The planner
 * asks this of every observed name, nearly all shorter than any token: that answer is kept small
 * enough for the compiler to inline, and the walk is apart.
 */
export const holdsSecret = (text: string): boolean => text.length >= shortest && secrets.size > 0 && scan(text);

function scan(text: string): boolean {
  byPrefix ??= prefixIndex();
  for (let i = 0; i + MIN_SECRET_LENGTH <= text.length; i++) {
    const candidates = byPrefix.get(text.slice(i, i + MIN_SECRET_LENGTH));
    if (candidates) for (const s of candidates) if (text.startsWith(s, i)) return true;
  }
  return false;
}

const GREEN_INSTANCE_PATH = /(\/waInstance\d{1,10}\/[A-Za-z]+\/)[^/?#\s"']+/g;
const GREEN_PARTNER_PATH = /(\/partner\/[A-Za-z]+\/)[^/?#\s"']+/g;
const BEARER = /(\bBearer\s+)[^\s"',]+/gi;
/** Credentials written into a URL (`https://user:pass@host`): the whole user info goes. */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']+@/gi;

export function redact(text: string): string {
  let out = text
    .replace(GREEN_INSTANCE_PATH, '$1***')
    .replace(GREEN_PARTNER_PATH, '$1***')
    .replace(BEARER, '$1***')
    .replace(URL_USERINFO, '$1***@');
  if (!holdsSecret(out)) return out;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}

/** Header names whose values are credentials, whatever they hold. */
const SECRET_HEADERS = new Set(['authorization', 'x-user-api-key', 'x-api-key', 'cookie', 'set-cookie']);

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? '***' : redact(v);
  return out;
}
