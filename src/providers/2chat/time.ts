/**
 * 2Chat writes dates as `YYYY-MM-DD HH:MM:SS` without a time zone ("List WhatsApp Numbers":
 * `"created_at": "2022-10-31 22:05:44"`), elsewhere as ISO 8601 with `Z`. A zoneless time can mean
 * any instant from 14 hours before to 12 hours after the same clock time in UTC (UTC+14 … UTC-12),
 * so chatstate keeps both ends and judges each rule by the end that is safe for it.
 */
export interface TimeSpan {
  readonly earliest: number;
  readonly latest: number;
  readonly zoned: boolean;
}

const ZONELESS = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const EAST_MS = 14 * 3_600_000;
const WEST_MS = 12 * 3_600_000;

/** The span a 2Chat time can mean, or undefined when it is neither form. */
export function twoChatTime(text: string): TimeSpan | undefined {
  const m = ZONELESS.exec(text);
  if (m) {
    const nominal = Date.parse(`${m[1]}T${m[2]}Z`);
    return Number.isNaN(nominal) ? undefined : { earliest: nominal - EAST_MS, latest: nominal + WEST_MS, zoned: false };
  }
  if (!ZONED.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : { earliest: t, latest: t, zoned: true };
}
