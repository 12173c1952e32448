/**
 * Provider ID parsing and normalisation, shared by the config loader, the clients and the emulator.
 * IDs are matched and reported as the provider gives them; these helpers only turn what a person
 * writes (`+7 987 654-32-10`) into that form (`79876543210@c.us`).
 */

/**
 * A chat id as GREEN-API lists contacts: what the loader normalises a contact id to, and the syntax
 * an observed contact id must have (plan/observed-ids.ts). One object, so that the planner can trust a
 * keep list the loader built in this form (config/entry.ts `exactIdsMatch`).
 */
export const CHAT_ID = /^[0-9]{5,20}@(?:c\.us|lid)$/;
const PHONE = /^\+?[0-9][0-9 ().-]*[0-9]$/;

/**
 * `CHAT_ID.test(s)`, as one walk of the text: the planner checks every observed contact id, and a
 * call into the regex engine per id cost more than the rest of deciding it. A property test holds the
 * two equal (test/unit/ids.test.ts).
 */
export function isChatId(s: string): boolean {
  const suffix = s.endsWith('@c.us') ? 5 : s.endsWith('@lid') ? 4 : 0;
  const digits = s.length - suffix;
  if (suffix === 0 || digits < 5 || digits > 20) return false;
  for (let i = 0; i < digits; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Digits of a phone number written with spaces, dashes, dots or brackets; undefined if it is not one. */
function phoneDigits(s: string): string | undefined {
  if (!PHONE.test(s.trim())) return undefined;
  const digits = s.replace(/[^0-9]/g, '');
  return digits.length >= 5 && digits.length <= 20 ? digits : undefined;
}

/** `+7 987 654-32-10`, `79876543210` or `79876543210@c.us` → `79876543210@c.us`; LIDs unchanged. */
export function normaliseChatId(s: string): string | undefined {
  const t = s.trim();
  if (CHAT_ID.test(t)) return t;
  const d = phoneDigits(t);
  return d ? `${d}@c.us` : undefined;
}

/** `+52 155 1111 2222` → `+5215511112222`. */
export function normaliseE164(s: string): string | undefined {
  const d = phoneDigits(s);
  return d ? `+${d}` : undefined;
}

/**
 * A comparison key for the own identity: case, spaces, a leading `+` and a missing `@c.us` do not
 * make another person. `+7 999 000-00-01`, `79990000001` and `79990000001@C.US` share one key.
 */
export function ownIdKey(id: string): string {
  // A chat id is its own key (no space, no capital; `digits@c.us` keys as itself): the planner keys
  // each collection's own number, as GREEN-API reports it, once per collection.
  if (isChatId(id)) return id;
  const t = id.replace(/\s+/g, '').toLowerCase();
  const phone = /^\+?[0-9().-]+(@c\.us)?$/.test(t) ? t.replace(/@c\.us$/, '').replace(/[^0-9]/g, '') : undefined;
  return phone ? `${phone}@c.us` : t;
}
