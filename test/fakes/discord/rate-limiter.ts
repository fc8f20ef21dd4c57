import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface RateLimitOptions {
  /** Requests allowed per bucket (route template + major parameter) per window. */
  perRoute: { limit: number; windowMs: number };
}

interface Bucket {
  windowStart: number;
  used: number;
}

export interface RateLimitVerdict {
  /** Headers for the response (X-RateLimit-*), always set while limiting is on. */
  headers: Record<string, string>;
  /** Seconds to wait when the request is over the limit, else undefined. */
  retryAfter?: number;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Bucket ids are opaque hashes in Discord; the same route template always maps to the same hash. */
const bucketHashes = new Map<string, string>();
export function bucketHash(routeTemplate: string): string {
  let hash = bucketHashes.get(routeTemplate);
  if (!hash) {
    hash = createHash('sha1').update(routeTemplate).digest('hex').slice(0, 32);
    bucketHashes.set(routeTemplate, hash);
  }
  return hash;
}

/**
 * Fixed-window per-route limiter keyed the way Discord keys buckets: route
 * template plus its major parameter (channel id, guild id, or webhook
 * id+token). The window starts at a bucket's first request.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly options: RateLimitOptions) {}

  take(method: string, routeTemplate: string, majorParameter: string, now = Date.now()): RateLimitVerdict {
    const { limit, windowMs } = this.options.perRoute;
    const key = `${method} ${routeTemplate} ${majorParameter}`;
    let bucket = this.#buckets.get(key);
    if (!bucket || now - bucket.windowStart >= windowMs) {
      bucket = { windowStart: now, used: 0 };
      this.#buckets.set(key, bucket);
    }
    const resetAt = bucket.windowStart + windowMs;
    const over = bucket.used >= limit;
    if (!over) bucket.used += 1;
    const headers = rateLimitHeaders(limit, limit - bucket.used, resetAt, now, `${method} ${routeTemplate}`);
    return over ? { headers, retryAfter: (resetAt - now) / 1000 } : { headers };
  }
}

export function rateLimitHeaders(
  limit: number,
  remaining: number,
  resetAt: number,
  now: number,
  route: string,
): Record<string, string> {
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': seconds(resetAt),
    'x-ratelimit-reset-after': seconds(resetAt - now),
    'x-ratelimit-bucket': bucketHash(route),
  };
}

/**
 * Discord's 429: JSON `{message, retry_after, global}` plus Retry-After and
 * the bucket headers. Retry-After keeps millisecond precision (real Discord
 * rounds up to whole seconds) so tests do not sleep needlessly; discord.js
 * parses it with Number().
 */
export function answer429(
  res: ServerResponse,
  retryAfterSeconds: number,
  headers: Record<string, string> = {},
): void {
  const retryAfter = Number(Math.max(0.001, retryAfterSeconds).toFixed(3));
  const body = JSON.stringify({
    message: 'You are being rate limited.',
    retry_after: retryAfter,
    global: false,
  });
  res.writeHead(429, {
    'content-type': 'application/json',
    'x-ratelimit-limit': '1',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': seconds(Date.now() + retryAfter * 1000),
    'x-ratelimit-reset-after': String(retryAfter),
    ...headers,
    'retry-after': String(retryAfter),
    'x-ratelimit-scope': 'user',
  });
  res.end(body);
}
