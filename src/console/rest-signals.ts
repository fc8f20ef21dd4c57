import type { RateLimitData } from 'discord.js';

/** What one of Discord's REST answers says about a console message's edit bucket. */
export type RestSignal =
  | { token: string; kind: 'rate_limited'; ms: number }
  | { token: string; kind: 'bucket_exhausted'; ms: number };

/** The interaction token in a webhook path (`/webhooks/<app>/<token>/…`), which keys the bucket. */
export function tokenOfPath(path: string): string | undefined {
  return /^\/webhooks\/\d+\/([^/?]+)/.exec(path)?.[1];
}

/**
 * A response on a webhook route: a 429 backs off for Retry-After (1 s when
 * unreadable); X-RateLimit-Remaining 0 waits for X-RateLimit-Reset-After.
 */
export function signalOfResponse(
  path: string,
  status: number,
  header: (name: string) => string | null,
): RestSignal | undefined {
  const token = tokenOfPath(path);
  if (!token) return undefined;
  const ms = (name: string): number => Number(header(name) ?? Number.NaN) * 1000;
  if (status === 429) {
    const retryAfter = ms('retry-after');
    return { token, kind: 'rate_limited', ms: Number.isFinite(retryAfter) ? retryAfter : 1000 };
  }
  if (header('x-ratelimit-remaining') === '0') {
    const resetAfter = ms('x-ratelimit-reset-after');
    if (Number.isFinite(resetAfter)) return { token, kind: 'bucket_exhausted', ms: resetAfter };
  }
  return undefined;
}

/** discord.js holding a request back on a bucket (not the global limit). */
export function signalOfRateLimited(info: RateLimitData): RestSignal | undefined {
  if (info.global) return undefined;
  const token = info.majorParameter.split('/')[1];
  return token ? { token, kind: 'bucket_exhausted', ms: info.timeToReset } : undefined;
}
