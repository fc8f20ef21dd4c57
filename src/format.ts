/** Number formatting shared by every reply: one style of thousands separators everywhere. */

let upToTwoDecimals: Intl.NumberFormat | undefined;

/**
 * 1500 → "1,500"; 2.345 → "2.35". Whole numbers (nearly every count) are
 * grouped without Intl, and the Intl formatter is made on first use: an idle
 * bot never maps ICU's locale data (about 6 MiB of resident memory).
 */
export function formatCount(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  upToTwoDecimals ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  return upToTwoDecimals.format(n);
}
