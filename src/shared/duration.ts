/** Milliseconds of `90s`, `30m`, `24h`, `7d`, `2w`, `1d12h`, `500ms`. */
export function parseDuration(text: string): number | undefined {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
  let total = 0;
  let rest = text;
  const part = /^([0-9]+)(ms|s|m|h|d|w)/;
  if (rest === '') return undefined;
  while (rest !== '') {
    const m = part.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}
