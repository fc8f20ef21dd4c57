import { parseShortDuration } from '../watch/duration.js';
import { formatDuration } from '../text.js';
import { DAY_MS } from './streak.js';

/**
 * Durations of the reward rules (`/rewards role set every`, `/rewards gates`):
 * `30m`, `12h`, `7d`, `2w`, `1d12h`; `0` or `off` where a rule may be off.
 * The watch parser reads them (weeks are turned into days first).
 */
export const REWARD_DURATION_HELP =
  'Use minutes, hours, days or weeks, such as `30m`, `12h`, `7d`, `2w` or `1d12h`';
const WEEKS = /(\d{1,4})w/gi;

export type RewardDuration = { ok: true; ms: number } | { ok: false; error: string };

export function parseRewardDuration(
  option: string,
  input: string,
  limits: { minMs: number; maxMs: number; offAllowed: boolean },
): RewardDuration {
  const text = input.trim();
  if (limits.offAllowed && /^(0|off|none)$/i.test(text)) return { ok: true, ms: 0 };
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const ms = parseShortDuration(text.replace(WEEKS, (_, weeks: string) => `${Number(weeks) * 7}d`));
  const off = limits.offAllowed ? ', or `0` to turn it off' : '';
  if (ms === 0 && limits.offAllowed) return { ok: true, ms: 0 };
  if (ms === undefined || ms === 0)
    return {
      ok: false,
      error: `\`${option}\`: \`${shown.replace(/`/g, "'")}\` is not a duration. ${REWARD_DURATION_HELP}${off}.`,
    };
  if (ms < limits.minMs)
    return {
      ok: false,
      error: `\`${option}\` must be at least ${formatDuration(limits.minMs)} (got ${formatDuration(ms)}).`,
    };
  if (ms > limits.maxMs)
    return {
      ok: false,
      error: `\`${option}\` must be at most ${formatDuration(limits.maxMs)} (got ${formatDuration(ms)}).`,
    };
  return { ok: true, ms };
}

/** The longest `every` of a role reward, and the longest gate. */
export const MAX_REWARD_PERIOD_MS = 365 * DAY_MS;
