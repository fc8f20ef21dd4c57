import { shown } from '../text.js';
import type { HttpMethod } from '../http/upstream.js';
import type { Limits } from './limits.js';
import { clipForScan } from '../upstream-text.js';

/** The error codes the spec documents. */
export type AtomicHostApiErrorCode =
  | 'missing_token'
  | 'invalid_key'
  | 'account_banned'
  | 'insufficient_service_permission'
  | 'feature_unavailable'
  | 'service_inactive'
  | 'not_found'
  | 'validation_failed'
  | 'rate_limited'
  | 'daily_credit_limit_reached'
  | 'too_many_streams'
  | 'backend_unavailable';

/** Failures with no API error envelope behind them. */
export type AtomicHostLocalErrorCode =
  'malformed_response' | 'timeout' | 'network' | 'aborted' | 'http_error' | 'too_large';

/** Undocumented codes the API may send pass through as plain strings. */
export type AtomicHostErrorCode =
  AtomicHostApiErrorCode | AtomicHostLocalErrorCode | (string & Record<never, never>);

export interface AtomicHostErrorDetails {
  code: AtomicHostErrorCode;
  method: HttpMethod;
  /** Request path below the base URL, without the query (never holds the key). */
  path: string;
  status?: number;
  upstreamMessage?: string;
  limits?: Limits;
  retryAfterMs?: number;
  resetAt?: Date;
  /** A write that may have reached AtomicHost and been applied although no readable answer came back. */
  mayHaveBeenApplied?: boolean;
}

const KEY_PATTERN = /ah_[A-Za-z0-9]{6,}/g;

/** Upstream text is shown to users: drop control characters, redact anything key-shaped, cap the length. */
export function sanitizeUpstreamMessage(message: string): string {
  // Cut before the patterns run; a key straddling 300 characters is still whole within 600.
  const clean = clipForScan(message, 600)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(KEY_PATTERN, 'ah_[redacted]')
    .trim();
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}

/**
 * Any failed AtomicHost call. It carries what the API said and the limit
 * figures of the failed response, and never the API key.
 */
export class AtomicHostError extends Error {
  override readonly name = 'AtomicHostError';
  readonly code: AtomicHostErrorCode;
  readonly method: HttpMethod;
  readonly path: string;
  // Declared, not initialised: absent details stay absent instead of `undefined` keys.
  declare readonly status?: number;
  declare readonly upstreamMessage?: string;
  declare readonly limits?: Limits;
  declare readonly retryAfterMs?: number;
  declare readonly resetAt?: Date;
  readonly mayHaveBeenApplied: boolean;

  constructor(details: AtomicHostErrorDetails) {
    const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
    super(`AtomicHost ${details.method} ${details.path} failed: ${details.code}${status}`);
    this.code = details.code;
    this.method = details.method;
    this.path = details.path;
    this.mayHaveBeenApplied = details.mayHaveBeenApplied ?? false;
    if (details.status !== undefined) this.status = details.status;
    if (details.upstreamMessage !== undefined)
      this.upstreamMessage = sanitizeUpstreamMessage(details.upstreamMessage);
    if (details.limits !== undefined) this.limits = details.limits;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.resetAt !== undefined) this.resetAt = details.resetAt;
  }
}

/** True when the stored key is dead for good (the vault should delete it). */
export function isKeyRevoked(err: unknown): boolean {
  if (!(err instanceof AtomicHostError)) return false;
  return (
    (err.code === 'invalid_key' && err.status === 401) ||
    (err.code === 'account_banned' && err.status === 403)
  );
}

/** Which permission an endpoint needs, from its path. */
function permissionFor(path: string): 'console' | 'files' | 'backups' | undefined {
  if (/\/files(\/|$)/.test(path)) return 'files';
  if (/\/backups(\/|$)/.test(path)) return 'backups';
  if (/\/(console|power)(\/|$)/.test(path)) return 'console';
  return undefined;
}

function discordTime(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<t:${unix}:t> (<t:${unix}:R>)`;
}

function retryIn(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function creditsLeft(err: AtomicHostError): string {
  const credits = err.limits?.credits;
  return credits ? ` You have ${credits.remaining} of ${credits.limit} daily credits left.` : '';
}

/**
 * AtomicHost answers 404 for a service that does not exist or is not the
 * caller's, for a missing file, folder or backup: only its own message says
 * which, so that message is shown rather than a guess from the URL.
 */
function notFoundSentence(err: AtomicHostError): string {
  return err.upstreamMessage
    ? `AtomicHost says: ${err.upstreamMessage}`
    : 'AtomicHost could not find what was asked for (it answered 404 without saying what).';
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
function unknownOutcome(err: AtomicHostError): string {
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

/** One clear sentence (or two) for the Discord user, specific to the failure. */
export function describeAtomicHostError(err: AtomicHostError): string {
  const detail = err.upstreamMessage ? ` (${shown(err.upstreamMessage, 300)})` : '';
  if (err.mayHaveBeenApplied) return unknownOutcome(err);
  switch (err.code) {
    case 'missing_token':
    case 'invalid_key':
      return 'Your AtomicHost API key is no longer valid — it was regenerated or revoked. Set a new one with `/apikey set`.';
    case 'account_banned':
      return 'Your AtomicHost account is banned or suspended, so its API key was revoked.';
    case 'insufficient_service_permission': {
      const permission = permissionFor(err.path);
      return permission
        ? `You don't have the ${permission} permission on this server — ask its owner.`
        : "You don't have permission for that on this server — ask its owner.";
    }
    case 'feature_unavailable': {
      const feature = permissionFor(err.path);
      return feature
        ? `This server's package doesn't include ${feature === 'console' ? 'console access' : feature}.`
        : "This server's package doesn't include that feature.";
    }
    case 'service_inactive':
      return "This server isn't active (it may be suspended or unpaid), so it can't be managed right now.";
    case 'not_found':
      return notFoundSentence(err);
    case 'validation_failed':
      return `AtomicHost refused the request as invalid${detail}.`;
    case 'rate_limited': {
      const wait = err.retryAfterMs === undefined ? 'in a minute' : `in ${retryIn(err.retryAfterMs)}`;
      return `You're sending AtomicHost requests too fast — try again ${wait}.${creditsLeft(err)}`;
    }
    case 'daily_credit_limit_reached': {
      const reset = err.resetAt ?? err.limits?.credits?.resetAt;
      return `You've used today's API credits; they reset ${reset ? discordTime(reset) : 'at midnight (server time)'}.`;
    }
    case 'too_many_streams':
      return 'You already have 3 console streams open. Close one before opening another.';
    case 'backend_unavailable':
      return "The server's backend is unreachable right now. Try again shortly — the credit was refunded.";
    case 'malformed_response':
      return "AtomicHost sent an answer Hostlink couldn't read. Try again in a moment.";
    case 'timeout':
      return "AtomicHost didn't answer in time. Try again in a moment.";
    case 'network':
      return "Hostlink couldn't reach AtomicHost. Try again in a moment.";
    case 'aborted':
      return 'The request to AtomicHost was cancelled.';
    case 'too_large':
      return /\/files\/contents$/.test(err.path)
        ? 'This file is too large to show — use `/files download` to get it.'
        : 'AtomicHost sent an answer too large to show (over 1 MiB).';
    default:
      if (err.status !== undefined && err.status >= 500) {
        return `AtomicHost had an internal error (HTTP ${err.status}). The credit was refunded; try again shortly.`;
      }
      if (err.code === 'http_error')
        return `AtomicHost answered with an unexpected HTTP ${err.status ?? 'error'}.`;
      return `AtomicHost refused the request: ${err.code}${detail}.`;
  }
}
