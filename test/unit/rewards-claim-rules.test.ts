import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compactDuration,
  dailyCoins,
  dailyKey,
  nextStreak,
  roleKey,
  type DailyRule,
} from '../../src/rewards/streak.js';
import { parseRewardDuration } from '../../src/rewards/durations.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AT = Date.UTC(2026, 10, 30, 23, 59);

test('issue12: a daily claim within 48 h of the last continues the streak; later starts at 1', () => {
  assert.equal(nextStreak(undefined, AT), 1);
  assert.equal(nextStreak({ at: AT - 24 * HOUR, streak: 4 }, AT), 5);
  assert.equal(nextStreak({ at: AT - 48 * HOUR, streak: 4 }, AT), 5, '48 h exactly still continues');
  assert.equal(nextStreak({ at: AT - 48 * HOUR - 1, streak: 4 }, AT), 1);
});

test('issue12: the daily amount grows by streak_bonus per day and stops growing at streak_max', () => {
  const rule: DailyRule = { coins: 100, streakBonus: 10, streakMax: 3 };
  assert.deepEqual(
    [1, 2, 3, 4, 30].map((streak) => dailyCoins(rule, streak)),
    [100, 110, 120, 120, 120],
  );
  assert.equal(dailyCoins({ coins: 5, streakBonus: 10, streakMax: 1 }, 9), 5, 'streak_max 1: no bonus');
});

test('issue12: ledger keys name the day of a daily claim and the window of a role claim', () => {
  assert.equal(dailyKey('42', AT), 'daily:42:2026-11-30');
  assert.equal(roleKey('7', '42', 7 * DAY, AT), 'role:7:42:2026-11-26T00:00:00Z/7d');
  assert.equal(roleKey('7', '42', 12 * HOUR, AT), 'role:7:42:2026-11-30T12:00:00Z/12h');
  assert.deepEqual([90 * 60_000, 1_500].map(compactDuration), ['90m', '1500ms']);
});

test('issue12: reward durations accept m/h/d/w and combinations, and say what is wrong otherwise', () => {
  const limits = { minMs: HOUR, maxMs: 365 * DAY, offAllowed: false };
  assert.deepEqual(parseRewardDuration('every', '2w', limits), { ok: true, ms: 14 * DAY });
  assert.deepEqual(parseRewardDuration('every', '1d12h', limits), { ok: true, ms: 36 * HOUR });
  const off = parseRewardDuration('every', '0', limits);
  assert.ok(!off.ok && off.error.startsWith('`every`: `0` is not a duration'));
  const short = parseRewardDuration('every', '30m', limits);
  assert.ok(!short.ok && short.error === '`every` must be at least 1 h (got 30 min).', JSON.stringify(short));
  const long = parseRewardDuration('every', '60w', limits);
  assert.ok(!long.ok && long.error.startsWith('`every` must be at most 365 d'));
  assert.deepEqual(parseRewardDuration('account_age', 'off', { ...limits, offAllowed: true }), {
    ok: true,
    ms: 0,
  });
});
