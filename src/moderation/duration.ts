/**
 * The `/ban duration` option: `30m`, `12h`, `7d`, `2w`, `permanent` (the
 * default) or an ISO date/time in the future. It becomes the ban's
 * `expiration` (an ISO timestamp, or null for a permanent ban). Pure: takes
 * `now`, so it is unit-tested.
 */

export type BanDuration =
  | { kind: 'permanent'; expiration: null; label: string }
  | { kind: 'relative' | 'until'; expiration: string; until: Date; label: string };

export type DurationResult = { ok: true; value: BanDuration } | { ok: false; error: string };

export const DURATION_HELP =
  'Use `30m`, `12h`, `7d`, `2w` (minutes, hours, days, weeks), `permanent`, or a future date such as ' +
  '`2026-12-31` or `2026-12-31T18:00Z` (times without a zone are UTC).';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const UNIT_WORDS = { m: 'minute', h: 'hour', d: 'day', w: 'week' } as const;
type Unit = keyof typeof UNIT_MS;

/** Longest relative ban; anything longer should be `permanent` or a date. */
export const MAX_RELATIVE_MS = 10 * 365 * UNIT_MS.d;

const RELATIVE = /^(\d{1,6})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$/i;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** An ISO timestamp without milliseconds, as in the API's example (`2025-12-31T23:59:59Z`). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function unitOf(word: string): Unit {
  return word[0]!.toLowerCase() as Unit;
}

function parseIso(text: string): Date | string {
  const match = ISO.exec(text);
  if (!match) return 'not a date';
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', zone] = match;
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = parts;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, '0')));
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return 'no such date or time';
  }
  let offsetMs = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 14 || om > 59) return 'no such time zone offset';
    offsetMs = sign * (oh * 60 + om) * 60_000;
  }
  return new Date(utc - offsetMs);
}

export function parseDuration(input: string | undefined, now: Date): DurationResult {
  const text = (input ?? '').trim();
  if (text === '' || /^(permanent|perm|forever|never)$/i.test(text)) {
    return { ok: true, value: { kind: 'permanent', expiration: null, label: 'permanent' } };
  }
  const relative = RELATIVE.exec(text);
  if (relative) {
    const count = Number(relative[1]);
    const unit = unitOf(relative[2]!);
    const ms = count * UNIT_MS[unit];
    if (count < 1) return { ok: false, error: `The duration \`${text}\` is zero. ${DURATION_HELP}` };
    if (ms > MAX_RELATIVE_MS) {
      return {
        ok: false,
        error: `The duration \`${text}\` is longer than 10 years; use \`permanent\` or a date instead.`,
      };
    }
    // Whole seconds, rounded up so a ban never ends early.
    const until = new Date(Math.ceil((now.getTime() + ms) / 1000) * 1000);
    const label = `${count} ${UNIT_WORDS[unit]}${count === 1 ? '' : 's'}`;
    return { ok: true, value: { kind: 'relative', expiration: isoSeconds(until), until, label } };
  }
  const date = parseIso(text);
  if (typeof date === 'string') {
    const reason = date === 'not a date' ? 'is not a duration I understand' : `is ${date}`;
    return { ok: false, error: `\`${text.slice(0, 64)}\` ${reason}. ${DURATION_HELP}` };
  }
  if (date.getTime() <= now.getTime()) {
    return {
      ok: false,
      error: `\`${text.slice(0, 64)}\` is in the past (${isoSeconds(date)}); a ban must end in the future. ${DURATION_HELP}`,
    };
  }
  const iso = date.getUTCMilliseconds() === 0 ? isoSeconds(date) : date.toISOString();
  return { ok: true, value: { kind: 'until', expiration: iso, until: date, label: `until ${iso}` } };
}
