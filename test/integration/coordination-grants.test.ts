import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { sqliteEngine } from '../helpers/stores.js';
import { coinWrites, rewardsRig, type RewardsRig } from '../helpers/rewards-rig.js';
import { RedisLease } from '../../src/coordination/lease.js';
import { SharedPacer } from '../../src/coordination/shared-pacer.js';
import { connectRedis } from '../../src/coordination/redis.js';
import { realClock } from '../../src/clock.js';
import type { Grant } from '../../src/rewards/ledger.js';
import { silentLogger } from '../helpers/silent-logger.js';
import {
  connectTestRedis,
  dropPrefix,
  expiryOf,
  freePort,
  redisSkip,
  startOwnRedis,
  uniquePrefix,
  type OwnRedis,
} from '../helpers/redis.js';

const LEASE_KEY = 'lease:grant-worker';

/**
 * One grant worker drains at a time across processes: two "processes" (own
 * Redis connection, store connection, ledger, client and worker) on one
 * Redis and one store. The ledger's claim already rules out paying twice;
 * the lease is what keeps a second drainer (and its share of the budget) out.
 */
describe('one grant drainer across processes (Redis lease)', { skip: redisSkip }, () => {
  let fake: FakeHeliactyl;
  let storeUrl: string;
  let cleanup: () => Promise<void>;
  let serial = 0;
  const connections: Redis[] = [];
  const rigs: RewardsRig[] = [];
  const prefixes: string[] = [];

  before(async () => {
    fake = await FakeHeliactyl.start();
    ({ url: storeUrl, cleanup } = await sqliteEngine.create());
  });
  after(async () => {
    for (const rig of rigs) await rig.close();
    for (const redis of connections) redis.disconnect();
    for (const prefix of prefixes) await dropPrefix(prefix);
    await fake.close();
    await cleanup();
  });

  function newUser(): string {
    serial += 1;
    const id = `8100000000000${String(serial).padStart(5, '0')}`;
    fake.addUser({ id, coins: 100 });
    return id;
  }

  /** One "process" holding its own connection and lease on `prefix`. */
  async function processOn(prefix: string, leaseMs: number, url?: string) {
    const redis = await connectTestRedis(prefix, url);
    connections.push(redis);
    const lease = new RedisLease({ redis, name: LEASE_KEY, leaseMs, logger: silentLogger, clock: realClock });
    const rig = await rewardsRig(storeUrl, fake, { startWorker: false, lease });
    rigs.push(rig);
    return { redis, lease, rig };
  }

  async function enqueue(rig: RewardsRig, user: string, coins: number): Promise<void> {
    await rig.ledger.enqueue({
      key: `bulk:t${serial}:${user}`,
      userId: user,
      coins,
      source: 'bulk',
      cause: {},
    });
  }

  /** Resolves when the two workers together have settled `count` grants. */
  function settledTogether(a: RewardsRig, b: RewardsRig, count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (_grant?: Grant): void => {
        if (a.settled.length + b.settled.length >= count) resolve();
      };
      a.worker.onSettled(check);
      b.worker.onSettled(check);
      check();
    });
  }

  test('two workers started on one queue: one drains every grant, the other none', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await processOn(prefix, 60_000);
    const b = await processOn(prefix, 60_000);
    const users = Array.from({ length: 6 }, () => newUser());
    // Queued through both processes: each one's worker is woken by its own enqueues.
    for (const [i, user] of users.entries()) await enqueue(i % 2 === 0 ? a.rig : b.rig, user, 10 + i);
    const done = settledTogether(a.rig, b.rig, users.length);
    a.rig.worker.start();
    b.rig.worker.start();
    await done;
    const counts = [a.rig.settled.length, b.rig.settled.length].sort();
    assert.deepEqual(counts, [0, users.length], 'one worker settled all six, the other none');
    for (const [i, user] of users.entries()) assert.deepEqual(coinWrites(fake, user), [`addcoins ${10 + i}`]);
  });

  test("a holder that dies without releasing: another process drains once Redis expires the dead one's lease", async () => {
    let own: OwnRedis | undefined;
    try {
      own = await startOwnRedis();
      const prefix = uniquePrefix();
      const a = await processOn(prefix, 1_500, own.url);
      const b = await processOn(prefix, 1_500, own.url);
      const first = newUser();
      await enqueue(a.rig, first, 5);
      a.rig.worker.start();
      await a.rig.settledCount(1);
      assert.equal(await b.lease.hold(), false, 'the live holder renews its lease: nobody else may drain');

      const expiry = await expiryOf(own.url, `${prefix}${LEASE_KEY}`);
      // The crash: the connection is gone, nothing is released, the renewals stop.
      a.redis.disconnect();
      const second = newUser();
      await enqueue(b.rig, second, 7);
      b.rig.worker.start();
      await expiry.expired;
      expiry.close();
      b.rig.worker.wake();
      const [grant] = await b.rig.settledCount(1);
      assert.equal(grant?.userId, second);
      assert.equal(grant?.state, 'granted');
      assert.deepEqual(coinWrites(fake, second), ['addcoins 7']);
      assert.equal(a.rig.settled.length, 1, 'the dead process paid nothing more');
    } finally {
      await own?.kill();
    }
  });

  for (const withLease of [true, false])
    test(`Redis unreachable (${withLease ? 'lease and budget' : 'budget only'}): the worker neither sends nor gives up a grant`, async () => {
      const down = connectRedis({
        url: `redis://127.0.0.1:${await freePort()}`,
        prefix: uniquePrefix(),
        logger: silentLogger,
      });
      connections.push(down);
      const lease = new RedisLease({ redis: down, name: LEASE_KEY, leaseMs: 1_000, logger: silentLogger });
      const rig = await rewardsRig(storeUrl, fake, {
        startWorker: false,
        pacer: new SharedPacer({ redis: down, logger: silentLogger }),
        ...(withLease ? { lease } : {}),
      });
      rigs.push(rig);
      const user = newUser();
      await enqueue(rig, user, 9);
      const idle = rig.clock.nextSleep();
      rig.worker.start();
      await idle;
      const [grant] = await rig.ledger.history(user);
      assert.equal(grant?.state, 'queued');
      assert.deepEqual(coinWrites(fake, user), [], 'nothing reached the dashboard');
    });
});
