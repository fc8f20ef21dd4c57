import type { FakeAccount } from './state.js';

/**
 * Rate and credit bookkeeping of the fake. Rate limit: a fixed one-minute
 * window per key, started by the key's first request. Credits: per account,
 * reset at the next UTC midnight (the fake's "configured timezone" is UTC).
 */

export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** The spec's timestamp style: `2026-06-28T00:00:00+00:00`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

interface Window {
  startedAt: number;
  count: number;
}

export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(readonly perMinute: number) {}

  #window(key: string, now: number): Window {
    let window = this.#windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }

  /** Counts one request when the window has room. */
  hit(key: string, now = Date.now()): RateVerdict {
    const window = this.#window(key, now);
    const allowed = window.count < this.perMinute;
    if (allowed) window.count += 1;
    return {
      allowed,
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - window.count),
      retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000)),
    };
  }

  /** Current figures without counting a request. */
  peek(key: string, now = Date.now()): RateVerdict {
    const window = this.#window(key, now);
    return {
      allowed: window.count < this.perMinute,
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - window.count),
      retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000)),
    };
  }
}

/** Starts a new credit day when the reset time has passed. */
export function rollCredits(account: FakeAccount, now = new Date()): void {
  if (now >= account.creditsResetAt) {
    account.creditsUsed = 0;
    account.creditsResetAt = nextUtcMidnight(now);
  }
}

export function creditsRemaining(account: FakeAccount): number {
  return Math.max(0, account.creditLimit - account.creditsUsed);
}

export function limitHeaders(
  rate: RateVerdict | undefined,
  account: FakeAccount | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rate) {
    headers['x-ratelimit-limit'] = String(rate.limit);
    headers['x-ratelimit-remaining'] = String(rate.remaining);
  }
  if (account) {
    headers['x-credits-limit'] = String(account.creditLimit);
    headers['x-credits-used'] = String(account.creditsUsed);
    headers['x-credits-remaining'] = String(creditsRemaining(account));
    headers['x-credits-reset'] = formatTimestamp(account.creditsResetAt);
  }
  return headers;
}
