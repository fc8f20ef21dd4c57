import type { Logger } from '../logger.js';
import { soleLease } from './lease.js';
import type { Coordination, CoordinationConfig } from './ports.js';

export { CoordinationUnavailableError } from './errors.js';
export type { Lease } from './lease.js';
export type { StreamEntry, StreamRegistry } from './stream-registry.js';
export type { Coordination } from './ports.js';
export { STREAMS_PER_ACCOUNT } from './ports.js';

export const singleProcess: Coordination = {
  drainLease: soleLease,
  ping: () => Promise.resolve(undefined),
  close: () => Promise.resolve(),
};

/** Connects to REDIS_URL when set; waits up to `readyTimeoutMs` for it (the bot starts anyway and reconnects). */
export async function startCoordination(
  config: CoordinationConfig,
  logger: Logger,
  readyTimeoutMs = 5_000,
): Promise<Coordination> {
  if (!config.REDIS_URL) return singleProcess;
  // Loaded only with REDIS_URL: a single process carries no Redis client in memory.
  const { connectRedisCoordination } = await import('./redis-ports.js');
  return connectRedisCoordination(config.REDIS_URL, config, logger, readyTimeoutMs);
}
