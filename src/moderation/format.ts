import { codeSpan, shown } from '../text.js';
import { formatCount } from '../format.js';

/**
 * How numbers and units read in moderator replies: thousands separators,
 * memory in MB/GB/TB, CPU in percent. Pure, so unit-tested.
 */

export { formatCount };

/** "1 coin", "1,500 coins"; null (coins disabled on the dashboard) → "coins disabled". */
export function formatCoins(n: number | null): string {
  if (n === null) return 'coins disabled';
  return `${formatCount(n)} ${n === 1 ? 'coin' : 'coins'}`;
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : pluralWord}`;
}

export interface UnitOptions {
  /** Pterodactyl server limits use 0 for "no limit". */
  zeroIsUnlimited?: boolean;
}

/** Megabytes as people say them: "512 MB", "1.5 GB", "2 TB". */
export function formatMegabytes(mb: number, options: UnitOptions = {}): string {
  if (mb === 0 && options.zeroIsUnlimited) return 'unlimited';
  if (Math.abs(mb) < 1024) return `${formatCount(mb)} MB`;
  const gb = mb / 1024;
  if (Math.abs(gb) < 1024) return `${formatCount(gb)} GB`;
  return `${formatCount(gb / 1024)} TB`;
}

/** Pterodactyl CPU: 100% is one core. */
export function formatCpu(percent: number, options: UnitOptions = {}): string {
  if (percent === 0 && options.zeroIsUnlimited) return 'unlimited';
  return `${formatCount(percent)}%`;
}

/** Cuts text to `max` characters, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Inline code that cannot be broken out of (backticks are replaced by a look-alike). */
export function code(text: string, max = 200): string {
  return codeSpan(text, max);
}

/**
 * Free text from the dashboard or typed by a moderator (server names, log
 * lines, ban reasons) shown without markdown effects or masked links.
 */
export function plain(text: string, max = 1024): string {
  return shown(text, max);
}

/** Discord timestamp markup: renders in the reader's time zone. */
export function discordTime(date: Date, style: 'F' | 'R' | 'f' = 'F'): string {
  return `<t:${Math.floor(date.getTime() / 1000)}:${style}>`;
}
