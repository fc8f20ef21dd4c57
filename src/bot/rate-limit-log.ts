import type { RateLimitData } from 'discord.js';
import type { Logger } from '../logger.js';

/**
 * discord.js emits `rateLimited` every time a queued request waits for a
 * bucket, which under load is many times a second (each waiting request
 * emits again after each wait). One warning per window with a count keeps
 * the signal without flooding the log.
 */
export function createRateLimitLogger(logger: Logger, windowMs = 10_000): (info: RateLimitData) => void {
  let windowStart = 0;
  let suppressed = 0;
  return (info) => {
    const now = Date.now();
    if (now - windowStart < windowMs) {
      suppressed += 1;
      return;
    }
    logger.warn(
      { route: info.route, retryAfter: info.retryAfter, global: info.global, scope: info.scope, suppressed },
      'Waiting for a Discord rate limit',
    );
    windowStart = now;
    suppressed = 0;
  };
}
