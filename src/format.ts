/** Number formatting shared by every reply: one style of thousands separators everywhere. */

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const upToTwoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** 1500 → "1,500"; 2.345 → "2.35". */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? whole.format(n) : upToTwoDecimals.format(n);
}
