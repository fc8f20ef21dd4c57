/** Short durations as users type them: `90s`, `5m`, `2h`, `3d`, `1h30m`. */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(?:\d{1,6}[smhd])+$/;
const PART = /(\d{1,6})([smhd])/g;

export function parseShortDuration(input: string): number | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, '');
  if (text.length > 40 || !WHOLE.test(text)) return undefined;
  let ms = 0;
  for (const [, count, unit] of text.matchAll(PART)) ms += Number(count) * UNIT_MS[unit!]!;
  return ms;
}

/** 300000 → "5 min", 3600000 → "1 h", 90000 → "1 min 30 s". */
export function describeInterval(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [label, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${label}`);
    rest -= count * size;
  }
  return parts.join(' ') || '0 s';
}
