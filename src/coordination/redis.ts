import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** A command waits at most this long (also while Redis reconnects) before failing as unavailable. */
const COMMAND_TIMEOUT_MS = 2_000;

export interface RedisOptions {
  url: string;
  /** Prefixes every key (REDIS_PREFIX; tests use a unique one each). */
  prefix: string;
  logger: Logger;
  commandTimeoutMs?: number;
}

/**
 * The one Redis connection of a process. ioredis reconnects on its own
 * (backoff up to 2 s). While it is down a command fails at once (no offline
 * queue: a queued claim or lease would otherwise run minutes later, after
 * its caller gave up), and a command Redis does not answer fails after the
 * command timeout, so callers answer "temporarily unavailable". The loss
 * and the return are each logged once.
 */
export function connectRedis(options: RedisOptions): Redis {
  const redis = new Redis(options.url, {
    keyPrefix: options.prefix,
    commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  let up = false;
  let warned = false;
  redis.on('ready', () => {
    if (warned) options.logger.info('Redis is reachable again');
    up = true;
    warned = false;
  });
  redis.on('error', (error: Error) => {
    // Every reconnection attempt emits this: one line per outage is enough.
    if (warned) return;
    warned = true;
    options.logger.warn(
      { err: { name: error.name, message: error.message }, wasUp: up },
      'Redis is unreachable: commands that need it answer "temporarily unavailable" until it is back',
    );
    up = false;
  });
  return redis;
}

/** True when Redis answers PING within the command timeout. */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}

/** Resolves when the connection is ready, or false after `timeoutMs` (the bot starts anyway and reconnects). */
export function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onReady = (): void => done(true);
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    redis.on('ready', onReady);
  });
}
