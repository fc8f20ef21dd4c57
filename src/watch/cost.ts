/** What watching costs in AtomicHost credits (1 credit per request). */
export const DAY_MS = 86_400_000;
export const DEFAULT_DAILY_CREDITS = 2_500;
/** Polling when under 10 % of the day's credits are left. */
export const LOW_CREDIT_INTERVAL_MS = 3_600_000;
/** The panel's due date is read once a day (1 credit). */
export const DUE_DATE_READS_PER_DAY = 1;

export interface WatchCost {
  checksPerDay: number;
  perDay: number;
  percent: number;
}

export function watchCost(intervalMs: number, dailyLimit = DEFAULT_DAILY_CREDITS): WatchCost {
  const checksPerDay = Math.ceil(DAY_MS / intervalMs);
  const perDay = checksPerDay + DUE_DATE_READS_PER_DAY;
  return { checksPerDay, perDay, percent: Math.round((perDay / dailyLimit) * 100) };
}

/** Warnings announced before a scheduled action, in ms before it. */
export const WARN_OFFSETS_MS = [600_000, 300_000, 60_000, 10_000] as const;

/** Credits a scheduled action uses: the signal, plus one per console announcement. */
export function scheduleCost(warn: boolean): number {
  return 1 + (warn ? WARN_OFFSETS_MS.length : 0);
}
