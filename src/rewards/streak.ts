/**
 * The rules of `/claim`, as pure functions of time (tested in
 * test/unit/rewards-claim-rules.test.ts):
 *
 * - Daily: claimable once per 24 h (rolling, from the last claim). A claim
 *   made at most 48 h after the previous one continues the streak (streak
 *   + 1); a later one starts again at 1. A claim pays
 *   `coins + streak_bonus × (min(streak, streak_max) − 1)`: day 1 pays
 *   `coins`, each following day of the streak adds one `streak_bonus`, and
 *   from day `streak_max` on the amount stays the same (the streak itself
 *   keeps counting).
 * - Role rewards: claimable once per `every` (rolling, from the last claim
 *   of that role's reward), while the member holds the role.
 *
 * Ledger keys: `daily:<user>:<UTC date of the claim>` and
 * `role:<role>:<user>:<period>`, where the period is the start of the
 * claim's `every`-long window since the Unix epoch and `every` itself
 * (e.g. `2026-11-26T00:00:00Z/7d`). Two successful claims are at least one
 * period apart, so their keys differ; the claim row's conditional update
 * (claim-state.ts) is what makes concurrent clicks pay once.
 */

export const DAY_MS = 86_400_000;
/** A claim this long after the previous one still continues the streak. */
export const STREAK_WINDOW_MS = 2 * DAY_MS;

export interface DailyRule {
  /** Coins for a claim (0: the daily reward is off). */
  coins: number;
  /** Coins added per consecutive day after the first. */
  streakBonus: number;
  /** The streak day from which the amount stops growing (1: no bonus). */
  streakMax: number;
}

export const DEFAULT_DAILY: DailyRule = { coins: 0, streakBonus: 0, streakMax: 7 };
export const MAX_STREAK_MAX = 365;

/** The last successful claim of one reward by one member. */
export interface LastClaim {
  at: number;
  streak: number;
}

/** The streak a daily claim at `at` reaches, given the previous claim. */
export function nextStreak(last: LastClaim | undefined, at: number): number {
  return last && at - last.at <= STREAK_WINDOW_MS ? last.streak + 1 : 1;
}

/** Coins a daily claim pays at `streak`. */
export function dailyCoins(rule: DailyRule, streak: number): number {
  const bonusDays = Math.max(0, Math.min(streak, rule.streakMax) - 1);
  return rule.coins + rule.streakBonus * bonusDays;
}

function utcDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function dailyKey(userId: string, at: number): string {
  return `daily:${userId}:${utcDate(at)}`;
}

/** 604800000 → `7d`, 43200000 → `12h`, 5400000 → `90m`, 1500 → `1500ms`: exact, for keys. */
export function compactDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY_MS],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function roleKey(roleId: string, userId: string, everyMs: number, at: number): string {
  const windowStart = Math.floor(at / everyMs) * everyMs;
  const start = new Date(windowStart).toISOString().replace(/\.000Z$/, 'Z');
  return `role:${roleId}:${userId}:${start}/${compactDuration(everyMs)}`;
}
