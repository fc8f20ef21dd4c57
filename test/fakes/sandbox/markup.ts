/**
 * Discord's message markup as the Discord client shows it: timestamps
 * (`<t:1798624083:D>`) as dates, user mentions as @name, role and channel
 * mentions as @role / #channel. Pure; names and the clock come from the caller.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface MarkupNames {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

export function showMarkup(text: string, names: MarkupNames, now: number = Date.now()): string {
  return text
    .replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_, seconds: string, style = 'f') =>
      timestamp(Number(seconds) * 1000, style as string, now),
    )
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${names.user(id) ?? id}`)
    .replace(/<@&(\d+)>/g, (_, id: string) => `@role-${id.slice(-4)}`)
    .replace(/<#(\d+)>/g, (_, id: string) => `#${names.channel(id) ?? id}`);
}

function timestamp(ms: number, style: string, now: number): string {
  const date = new Date(ms);
  const day = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')} UTC`;
  switch (style) {
    case 'd':
    case 'D':
      return day;
    case 't':
    case 'T':
      return time;
    case 'R':
      return relative(ms - now);
    default:
      return `${day} ${time}`;
  }
}

function relative(deltaMs: number): string {
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  const size = Math.abs(deltaMs);
  const [unit, ms] = units.find(([, unitMs]) => size >= unitMs) ?? ['second', 1000];
  const count = Math.round(size / ms);
  const amount = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return deltaMs >= 0 ? `in ${amount}` : `${amount} ago`;
}
