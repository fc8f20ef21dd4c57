/**
 * Rate-limit and credit figures the AtomicHost API attaches to every
 * response. Any header that is missing or unreadable leaves its part out
 * rather than inventing numbers.
 */
export interface Limits {
  rateLimit?: { limit: number; remaining: number };
  credits?: { limit: number; used: number; remaining: number; resetAt?: Date };
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

export function parseDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Reads X-RateLimit-* and X-Credits-* from lower-cased headers. */
export function parseLimits(headers: Record<string, string>): Limits {
  const limits: Limits = {};
  const rateLimit = integer(headers['x-ratelimit-limit']);
  const rateRemaining = integer(headers['x-ratelimit-remaining']);
  if (rateLimit !== undefined && rateRemaining !== undefined) {
    limits.rateLimit = { limit: rateLimit, remaining: rateRemaining };
  }
  const creditLimit = integer(headers['x-credits-limit']);
  const used = integer(headers['x-credits-used']);
  const remaining = integer(headers['x-credits-remaining']);
  if (creditLimit !== undefined && used !== undefined && remaining !== undefined) {
    const resetAt = parseDate(headers['x-credits-reset']);
    limits.credits = { limit: creditLimit, used, remaining, ...(resetAt ? { resetAt } : {}) };
  }
  return limits;
}

/** Retry-After in milliseconds (delta seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const seconds = integer(value);
  if (seconds !== undefined) return seconds * 1000;
  const date = parseDate(value);
  return date ? Math.max(0, date.getTime() - now) : undefined;
}
