import { parseDuration } from '../../src/moderation/duration.js';

/**
 * The `expires` option of `/rewards code create`: a duration (`30m`, `12h`,
 * `7d`, `2w`), a future ISO date, or `never`. Pure: takes `now`.
 */

export type CodeExpiry = { ok: true; expiresAt: number | null } | { ok: false; error: string };

const HELP =
  'Use a duration such as `12h`, `7d` or `2w`, a future date such as `2026-12-31` or `2026-12-31T18:00Z` ' +
  '(UTC unless a zone is given), or `never`.';

export function parseCodeExpiry(input: string, now: Date): CodeExpiry {
  const text = input.trim();
  if (/^(never|permanent)$/i.test(text)) return { ok: true, expiresAt: null };
  // Empty is not "never" here: an admin must choose an expiry on purpose.
  if (text === '') return { ok: false, error: `Give when the code expires. ${HELP}` };
  const parsed = parseDuration(text, now);
  if (parsed.ok && parsed.value.kind !== 'permanent')
    return { ok: true, expiresAt: parsed.value.until.getTime() };
  // Parsed against the epoch, a date that is only refused for being past is in the past.
  const past = parseDuration(text, new Date(0));
  if (past.ok && past.value.kind === 'until')
    return {
      ok: false,
      error: `\`${text.slice(0, 64)}\` is in the past: a code must expire in the future. ${HELP}`,
    };
  if (parsed.ok === false && /longer than 10 years/.test(parsed.error))
    return { ok: false, error: `\`${text.slice(0, 64)}\` is longer than 10 years. ${HELP}` };
  return { ok: false, error: `\`${text.slice(0, 64)}\` is not an expiry I understand. ${HELP}` };
}
