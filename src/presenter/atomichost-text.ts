import type {
  AtomicHostApiErrorCode,
  AtomicHostError,
  AtomicHostLocalErrorCode,
} from '../atomichost/errors.js';
import { discordTime, plain } from '../text.js';

/** What each AtomicHost failure reads as. Part of the one error table (src/presenter/errors.ts). */

/** Which permission an endpoint needs, from its path. */
function permissionFor(path: string): 'console' | 'files' | 'backups' | undefined {
  if (/\/files(\/|$)/.test(path)) return 'files';
  if (/\/backups(\/|$)/.test(path)) return 'backups';
  if (/\/(console|power)(\/|$)/.test(path)) return 'console';
  return undefined;
}

function retryIn(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function creditsLeft(err: AtomicHostError): string {
  const credits = err.limits?.credits;
  return credits ? ` You have ${credits.remaining} of ${credits.limit} daily credits left.` : '';
}

function detail(err: AtomicHostError): string {
  return err.upstreamMessage ? ` (${plain(err.upstreamMessage, 300)})` : '';
}

/** Where to look before repeating a write whose outcome is unknown. */
function checkHint(path: string): string {
  if (/\/power$/.test(path)) return "check the server's status";
  if (/\/backups(\/|$)/.test(path)) return 'check `/backups list`';
  if (/\/console\//.test(path)) return 'check the console';
  if (/\/files(\/|$)/.test(path)) return 'check with `/files list`';
  return 'check';
}

/** The same wording as uncertain coin writes: the request may have been applied. */
export function unknownOutcomeText(err: AtomicHostError): string {
  const why =
    err.code === 'timeout'
      ? "AtomicHost didn't answer in time"
      : err.code === 'network'
        ? 'The connection to AtomicHost broke after the request was sent'
        : err.code === 'aborted'
          ? 'The request was cancelled after it was sent'
          : err.code === 'http_error'
            ? `AtomicHost answered HTTP ${err.status ?? 'error'} without saying whether it was done`
            : "AtomicHost's answer couldn't be read";
  return `${why}, so it may or may not have been applied: outcome unknown — ${checkHint(err.path)} before retrying.`;
}

/**
 * 401 missing_token: AtomicHost saw no key at all. The bot always sends one,
 * so this is not the user's key being bad: the key is kept and the user is
 * told the problem is on our side.
 */
export const MISSING_TOKEN_TEXT =
  'AtomicHost received the request without your API key (missing_token) — a problem between Hostlink and ' +
  'AtomicHost, not with your key, which is kept. Try again; if it keeps happening, tell the bot operator.';

type Code = AtomicHostApiErrorCode | AtomicHostLocalErrorCode;

/** One sentence per code. A stored key that was revoked reads differently (src/presenter/errors.ts). */
export const ATOMICHOST_TEXT: Record<Code, (err: AtomicHostError) => string> = {
  missing_token: () => MISSING_TOKEN_TEXT,
  invalid_key: () =>
    'AtomicHost refused this API key: it is invalid, revoked or was replaced by a newer one. ' +
    'Generate a new key under **Account Settings → API Access** and run `/apikey set`.',
  account_banned: () => 'Your AtomicHost account is banned or suspended, so AtomicHost refused its API key.',
  insufficient_service_permission: (err) => {
    const permission = permissionFor(err.path);
    return permission
      ? `You don't have the ${permission} permission on this server — ask its owner.`
      : "You don't have permission for that on this server — ask its owner.";
  },
  feature_unavailable: (err) => {
    const feature = permissionFor(err.path);
    return feature
      ? `This server's package doesn't include ${feature === 'console' ? 'console access' : feature}.`
      : "This server's package doesn't include that feature.";
  },
  service_inactive: () =>
    "This server isn't active (it may be suspended or unpaid), so it can't be managed right now.",
  // AtomicHost answers 404 for a missing service, file, folder or backup: only its own message says which.
  not_found: (err) =>
    err.upstreamMessage
      ? `AtomicHost says: ${err.upstreamMessage}`
      : 'AtomicHost could not find what was asked for (it answered 404 without saying what).',
  validation_failed: (err) => `AtomicHost refused the request as invalid${detail(err)}.`,
  rate_limited: (err) => {
    const wait = err.retryAfterMs === undefined ? 'in a minute' : `in ${retryIn(err.retryAfterMs)}`;
    return `You're sending AtomicHost requests too fast — try again ${wait}.${creditsLeft(err)}`;
  },
  daily_credit_limit_reached: (err) => {
    const reset = err.resetAt ?? err.limits?.credits?.resetAt;
    const when = reset
      ? `${discordTime(reset, 't')} (${discordTime(reset, 'R')})`
      : 'at midnight (server time)';
    return `You've used today's API credits; they reset ${when}.`;
  },
  too_many_streams: () => 'You already have 3 console streams open. Close one before opening another.',
  backend_unavailable: () =>
    "The server's backend is unreachable right now. Try again shortly — the credit was refunded.",
  malformed_response: () => "AtomicHost sent an answer Hostlink couldn't read. Try again in a moment.",
  timeout: () => "AtomicHost didn't answer in time. Try again in a moment.",
  network: () => "Hostlink couldn't reach AtomicHost. Try again in a moment.",
  aborted: () => 'The request to AtomicHost was cancelled.',
  too_large: (err) =>
    /\/files\/contents$/.test(err.path)
      ? 'This file is too large to show — use `/files download` to get it.'
      : 'AtomicHost sent an answer too large to show (over 1 MiB).',
  http_error: (err) =>
    err.status !== undefined && err.status >= 500
      ? `AtomicHost had an internal error (HTTP ${err.status}). The credit was refunded; try again shortly.`
      : `AtomicHost answered with an unexpected HTTP ${err.status ?? 'error'}.`,
};

/** One clear sentence (or two) for the Discord user, specific to the failure. */
export function describeAtomicHostError(err: AtomicHostError): string {
  if (err.mayHaveBeenApplied) return unknownOutcomeText(err);
  const known = (ATOMICHOST_TEXT as Record<string, ((e: AtomicHostError) => string) | undefined>)[err.code];
  if (known) return known(err);
  // An undocumented code.
  if (err.status !== undefined && err.status >= 500) return ATOMICHOST_TEXT.http_error(err);
  return `AtomicHost refused the request: ${err.code}${detail(err)}.`;
}
