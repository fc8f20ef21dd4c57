import type { Redis } from 'ioredis';
import { coordinated } from './errors.js';

export type RedisScript = (keys: string[], args: Array<string | number>) => Promise<unknown>;

/**
 * A Lua script run atomically by Redis (EVALSHA, loaded on first use; keys
 * get the connection's prefix). Failures become CoordinationUnavailableError.
 */
export function defineScript(redis: Redis, name: string, lua: string): RedisScript {
  if (!(name in redis)) redis.defineCommand(name, { lua });
  const command = (redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>)[
    name
  ]!;
  return (keys, args) => coordinated(() => command.call(redis, keys.length, ...keys, ...args));
}
