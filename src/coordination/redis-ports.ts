import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { STREAMS_PER_ACCOUNT, type Coordination, type CoordinationConfig } from './ports.js';
import { RedisLease } from './lease.js';
import { connectRedis, redisAnswers, whenReady } from './redis.js';
import { SharedPacer } from './shared-pacer.js';
import { RedisStreamRegistry } from './stream-registry.js';

/** Connects to Redis, waiting up to `readyTimeoutMs` for it (the bot starts anyway and reconnects). */
export async function connectRedisCoordination(
  url: string,
  config: CoordinationConfig,
  logger: Logger,
  readyTimeoutMs: number,
): Promise<Coordination> {
  const log = logger.child({ module: 'coordination' });
  const redis = connectRedis({ url, prefix: config.REDIS_PREFIX, logger: log });
  if (!(await whenReady(redis, readyTimeoutMs)))
    log.warn('Redis did not answer at start: retrying in the background');
  return redisCoordination(redis, config, log);
}

/** The ports on one Redis connection (tests build two of these to play two processes). */
export function redisCoordination(
  redis: Redis,
  config: Pick<CoordinationConfig, 'REDIS_LEASE_MS' | 'HELIACTYL_RATE_LIMIT' | 'HELIACTYL_MAX_WAIT_MS'>,
  logger: Logger,
): Coordination {
  const streams = new RedisStreamRegistry({
    redis,
    limit: STREAMS_PER_ACCOUNT,
    ttlMs: config.REDIS_LEASE_MS,
    logger,
  });
  return {
    pacer: new SharedPacer({
      redis,
      logger,
      budget: config.HELIACTYL_RATE_LIMIT,
      maxWaitMs: config.HELIACTYL_MAX_WAIT_MS,
    }),
    drainLease: new RedisLease({ redis, name: 'lease:grant-worker', leaseMs: config.REDIS_LEASE_MS, logger }),
    streams,
    ping: () => redisAnswers(redis),
    async close() {
      streams.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
