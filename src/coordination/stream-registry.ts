import type { Redis } from 'ioredis';
import { realClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { defineScript, type RedisScript } from './script.js';

/** A console stream some Hostlink process holds open for an account. */
export interface StreamEntry {
  /** The session id (unique per stream). */
  id: string;
  serverId: string;
  /** Epoch ms when it opened. */
  openedAt: number;
}

export type StreamClaim = { ok: true } | { ok: false; held: StreamEntry[] };

/**
 * AtomicHost's streams per account, counted across every process. `claim`
 * takes a place before a stream is opened (refused at the limit, with what
 * holds the places); `release` frees it when the stream ends. Throws
 * CoordinationUnavailableError when it cannot count: no stream is opened then.
 */
export interface StreamRegistry {
  claim(userId: string, entry: StreamEntry): Promise<StreamClaim>;
  release(userId: string, id: string): Promise<void>;
  /** Stops refreshing this process's entries (shutdown). */
  close(): void;
}

/**
 * Per account a sorted set (entry id → expiry on Redis's clock) and a hash
 * (entry id → what it shows). Expired entries are dropped before counting.
 * ARGV: op, ttl ms, limit, entry id, entry JSON.
 */
const STREAMS_LUA = `
local set, meta = KEYS[1], KEYS[2]
local op, ttl, limit, id = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', set, '-inf', now)
if #expired > 0 then
  redis.call('ZREM', set, unpack(expired))
  redis.call('HDEL', meta, unpack(expired))
end
if op == 'release' then
  redis.call('ZREM', set, id)
  redis.call('HDEL', meta, id)
  return {}
end
if op == 'claim' and not redis.call('ZSCORE', set, id) and redis.call('ZCARD', set) >= limit then
  local ids = redis.call('ZRANGE', set, 0, -1)
  return redis.call('HMGET', meta, unpack(ids))
end
redis.call('ZADD', set, now + ttl, id)
redis.call('HSET', meta, id, ARGV[5])
redis.call('PEXPIRE', set, ttl)
redis.call('PEXPIRE', meta, ttl)
return 1
`;

export interface RedisStreamRegistryOptions {
  redis: Redis;
  /** Streams allowed per account (AtomicHost: 3). */
  limit: number;
  /** An entry not refreshed this long (its process died) no longer counts. */
  ttlMs: number;
  logger: Logger;
  clock?: Clock;
}

export class RedisStreamRegistry implements StreamRegistry {
  readonly #run: RedisScript;
  readonly #options: RedisStreamRegistryOptions & { clock: Clock };
  /** This process's live entries, refreshed together while they live. */
  readonly #mine = new Map<string, { userId: string; entry: StreamEntry }>();
  #timer: unknown;

  constructor(options: RedisStreamRegistryOptions) {
    this.#options = { ...options, clock: options.clock ?? realClock };
    this.#run = defineScript(options.redis, 'hostlinkStreams', STREAMS_LUA);
  }

  async claim(userId: string, entry: StreamEntry): Promise<StreamClaim> {
    const answer = await this.#op('claim', userId, entry);
    if (Array.isArray(answer)) return { ok: false, held: answer.flatMap(parseEntry) };
    this.#mine.set(entry.id, { userId, entry });
    this.#scheduleRefresh();
    return { ok: true };
  }

  async release(userId: string, id: string): Promise<void> {
    this.#mine.delete(id);
    if (this.#mine.size === 0) this.#stopRefresh();
    await this.#op('release', userId, { id, serverId: '', openedAt: 0 });
  }

  /** Entries are rewritten (not re-claimed): a stream that is open counts, even if Redis forgot it during an outage. */
  async #refresh(): Promise<void> {
    for (const { userId, entry } of [...this.#mine.values()]) {
      try {
        await this.#op('refresh', userId, entry);
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'Could not refresh a console stream entry in Redis');
        return;
      }
    }
  }

  #op(op: string, userId: string, entry: StreamEntry): Promise<unknown> {
    const { limit, ttlMs } = this.#options;
    const keys = [`streams:${userId}`, `streams:${userId}:meta`];
    return this.#run(keys, [op, ttlMs, limit, entry.id, JSON.stringify(entry)]);
  }

  #scheduleRefresh(): void {
    if (this.#timer !== undefined) return;
    const { clock, ttlMs } = this.#options;
    this.#timer = clock.setTimeout(
      () => {
        this.#timer = undefined;
        void this.#refresh().finally(() => {
          if (this.#mine.size > 0) this.#scheduleRefresh();
        });
      },
      Math.max(1, Math.floor(ttlMs / 3)),
    );
  }

  #stopRefresh(): void {
    if (this.#timer === undefined) return;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Stops refreshing (shutdown: the streams are closing). */
  close(): void {
    this.#stopRefresh();
    this.#mine.clear();
  }
}

function parseEntry(raw: unknown): StreamEntry[] {
  if (typeof raw !== 'string') return [];
  try {
    const value = JSON.parse(raw) as Partial<StreamEntry>;
    if (typeof value.id !== 'string' || typeof value.serverId !== 'string') return [];
    return [{ id: value.id, serverId: value.serverId, openedAt: Number(value.openedAt) || 0 }];
  } catch {
    return [];
  }
}
