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
