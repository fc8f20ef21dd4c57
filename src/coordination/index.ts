import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Pacer } from '../heliactyl/pacer-port.js';
import { soleLease, RedisLease, type Lease } from './lease.js';
import { connectRedis, redisAnswers, whenReady } from './redis.js';
import { SharedPacer } from './shared-pacer.js';
import { RedisStreamRegistry, type StreamRegistry } from './stream-registry.js';

export { CoordinationUnavailableError } from './errors.js';
export type { Lease } from './lease.js';
export type { StreamEntry, StreamRegistry } from './stream-registry.js';

/** AtomicHost's limit of concurrent console streams per account. */
export const STREAMS_PER_ACCOUNT = 3;

/**
 * What must hold across processes, as narrow ports. Without REDIS_URL each
 * port keeps the single-process behaviour (the pacer in memory, the worker
 * always draining, no stream registry: AtomicHost's own refusal stands).
 */
export interface Coordination {
  /** The pacer for the Heliactyl client; undefined = the client's own in-memory one. */
  pacer?: Pacer;
  /** Who drains the grant queue. */
  drainLease: Lease;
  /** Streams per account across processes; undefined with one process. */
  streams?: StreamRegistry;
  /** Whether Redis answers; undefined when there is none (for /readyz). */
  ping(): Promise<boolean | undefined>;
  close(): Promise<void>;
}

export const singleProcess: Coordination = {
  drainLease: soleLease,
  ping: () => Promise.resolve(undefined),
  close: () => Promise.resolve(),
};

type CoordinationConfig = Pick<
  Config,
  'REDIS_URL' | 'REDIS_PREFIX' | 'REDIS_LEASE_MS' | 'HELIACTYL_RATE_LIMIT' | 'HELIACTYL_MAX_WAIT_MS'
>;

/** Connects to REDIS_URL when set; waits up to `readyTimeoutMs` for it (the bot starts anyway and reconnects). */
export async function startCoordination(
  config: CoordinationConfig,
  logger: Logger,
  readyTimeoutMs = 5_000,
): Promise<Coordination> {
  if (!config.REDIS_URL) return singleProcess;
  const log = logger.child({ module: 'coordination' });
  const redis = connectRedis({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger: log });
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
