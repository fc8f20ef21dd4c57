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

/** A value refused before any call (a malformed id or key); the message says which. */
export class AtomicHostInputError extends Error {
  override readonly name = 'AtomicHostInputError';
}
