import type { ServerResponse } from 'node:http';

/**
 * The dashboard's express-rate-limit setup: a fixed window per client IP that
 * starts at the IP's first request, counted before auth, with the draft-6
 * `RateLimit-*` headers on every response it lets through or refuses.
 */

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 250, windowMs: 600_000 };

/** The body is fixed by the dashboard's config; it does not match Retry-After. */
export const RATE_LIMIT_BODY = JSON.stringify({
  error: 'Too many requests from this IP, please try again later.',
  retryAfter: 900,
});

interface Window {
  hits: number;
  resetAt: number;
}

/** What the limiter decided for one request, and the headers it sends with the answer. */
export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
}

export class IpRateLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(
    readonly options: RateLimitOptions,
    readonly now: () => number = Date.now,
  ) {}

  reset(): void {
    this.#windows.clear();
  }

  /** Counts one request from `ip`: a new window opens at the first request after the last one closed. */
  count(ip: string, now = this.now()): RateLimitDecision {
    let window = this.#windows.get(ip);
    if (!window || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + this.options.windowMs };
      this.#windows.set(ip, window);
    }
    window.hits += 1;
    return {
      allowed: window.hits <= this.options.limit,
      remaining: Math.max(0, this.options.limit - window.hits),
      resetSeconds: Math.max(0, Math.ceil((window.resetAt - now) / 1000)),
    };
  }

  /**
   * Counts one request from `ip` and sets the headers. Returns false when the
   * request is over the limit; the 429 has then been sent.
   */
  hit(ip: string, res: ServerResponse): boolean {
    const decision = this.count(ip);
    setRateLimitHeaders(res, this.options, decision.remaining, decision.resetSeconds);
    if (decision.allowed) return true;
    sendTooManyRequests(res, this.options, decision.resetSeconds);
    return false;
  }
}

export function setRateLimitHeaders(
  res: ServerResponse,
  options: RateLimitOptions,
  remaining: number,
  resetSeconds: number,
): void {
  res.setHeader('RateLimit-Policy', `${options.limit};w=${Math.ceil(options.windowMs / 1000)}`);
  res.setHeader('RateLimit-Limit', String(options.limit));
  res.setHeader('RateLimit-Remaining', String(remaining));
  res.setHeader('RateLimit-Reset', String(resetSeconds));
}

export function sendTooManyRequests(
  res: ServerResponse,
  options: RateLimitOptions,
  retryAfterSeconds: number,
): void {
  setRateLimitHeaders(res, options, 0, retryAfterSeconds);
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.writeHead(429, { 'content-type': 'application/json; charset=utf-8' });
  res.end(RATE_LIMIT_BODY);
}
