/**
 * The one redaction function. Everything that can reach a log, an error message, a plan or a
 * journal passes through `redact`: it masks every secret the process has loaded (registered by
 * `Secret`) and, structurally, the token segment of GREEN-API instance and partner URLs even when
 * the token was never registered (a token learned from a partner listing, a typo'd one).
 */
const secrets = new Set<string>();

/** Secrets shorter than this are not masked by value (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 4;

export function registerSecret(value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

const GREEN_INSTANCE_PATH = /(\/waInstance\d{1,10}\/[A-Za-z]+\/)[^/?#\s"']+/g;
const GREEN_PARTNER_PATH = /(\/partner\/[A-Za-z]+\/)[^/?#\s"']+/g;
const BEARER = /(\bBearer\s+)[^\s"',]+/gi;

export function redact(text: string): string {
  let out = text.replace(GREEN_INSTANCE_PATH, '$1***').replace(GREEN_PARTNER_PATH, '$1***').replace(BEARER, '$1***');
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
