import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { RedisStreamRegistry } from '../../src/coordination/stream-registry.js';
import { CoordinationUnavailableError, STREAMS_PER_ACCOUNT } from '../../src/coordination/index.js';
import { connectRedis } from '../../src/coordination/redis.js';
import { realClock } from '../../src/clock.js';
import { silentLogger } from '../helpers/silent-logger.js';
import {
  connectTestRedis,
  dropPrefix,
  expiryOf,
  freePort,
  redisSkip,
  startOwnRedis,
  uniquePrefix,
} from '../helpers/redis.js';

const USER = '190000000000000042';
const entry = (n: number) => ({ id: `session-${n}`, serverId: String(100 + n), openedAt: 1_000 * n });

/**
 * AtomicHost's 3 streams per account counted across processes: two
 * "processes" (own connection and registry) on one Redis.
 */
describe('console stream places across processes (Redis)', { skip: redisSkip }, () => {
  const connections: Redis[] = [];
  const prefixes: string[] = [];
  after(async () => {
    for (const redis of connections) redis.disconnect();
    for (const prefix of prefixes) await dropPrefix(prefix);
  });

  async function processOn(prefix: string, ttlMs: number, url?: string) {
    const redis = await connectTestRedis(prefix, url);
    connections.push(redis);
    const registry = new RedisStreamRegistry({
      redis,
      limit: STREAMS_PER_ACCOUNT,
      ttlMs,
      logger: silentLogger,
      clock: realClock,
    });
    return { redis, registry };
  }

  test('3 places taken in one process: the 4th is refused in the other, naming the 3; a release frees one', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await processOn(prefix, 60_000);
    const b = await processOn(prefix, 60_000);
    for (const n of [1, 2, 3]) assert.deepEqual(await a.registry.claim(USER, entry(n)), { ok: true });
    const refused = await b.registry.claim(USER, entry(4));
    assert.equal(refused.ok, false);
    assert.deepEqual(
      !refused.ok && refused.held.map((held) => held.serverId).sort(),
      ['101', '102', '103'],
      'the refusal names what holds the places',
    );
    assert.deepEqual(await b.registry.claim('190000000000000043', entry(5)), { ok: true }, 'per account');
    await a.registry.release(USER, 'session-2');
    assert.deepEqual(await b.registry.claim(USER, entry(4)), { ok: true });
    assert.equal((await a.registry.claim(USER, entry(6))).ok, false, 'full again, seen from either side');
    a.registry.close();
    b.registry.close();
  });

  test('a process that dies without releasing: its places expire and the other process opens', async () => {
    const own = await startOwnRedis();
    try {
      const prefix = uniquePrefix();
      const a = await processOn(prefix, 1_000, own.url);
      const b = await processOn(prefix, 1_000, own.url);
      for (const n of [1, 2, 3]) await a.registry.claim(USER, entry(n));
      assert.equal((await b.registry.claim(USER, entry(4))).ok, false);
      const expiry = await expiryOf(own.url, `${prefix}streams:${USER}`);
      // The crash: no release, no refresh.
      a.redis.disconnect();
      a.registry.close();
      await expiry.expired;
      expiry.close();
      assert.deepEqual(await b.registry.claim(USER, entry(4)), { ok: true });
      b.registry.close();
    } finally {
      await own.kill();
    }
  });

  test('Redis unreachable: claiming fails as unavailable (never as a free place)', async () => {
    const redis = connectRedis({
      url: `redis://127.0.0.1:${await freePort()}`,
      prefix: uniquePrefix(),
      logger: silentLogger,
    });
    connections.push(redis);
    const registry = new RedisStreamRegistry({ redis, limit: 3, ttlMs: 1_000, logger: silentLogger });
    await assert.rejects(registry.claim(USER, entry(1)), CoordinationUnavailableError);
    registry.close();
  });
});
