import { after, afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { HeliactylClient } from '../../src/heliactyl/client.js';
import { HeliactylError } from '../../src/heliactyl/errors.js';
import { SharedPacer } from '../../src/coordination/shared-pacer.js';
import { connectRedis } from '../../src/coordination/redis.js';
import { CoordinationUnavailableError } from '../../src/coordination/index.js';
import { presentError } from '../../src/presenter/errors.js';
import { SLOTS_PER_GRANT } from '../../src/rewards/worker.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { connectTestRedis, dropPrefix, freePort, redisSkip, uniquePrefix } from '../helpers/redis.js';

const KEY = 'hl_budget_test_key_7d2e9a41';
const USER = '112233445566778899';
/** 12 per window: with the 4 % margin (rounded down) the bot allows itself all 12. */
const BUDGET = { limit: 12, windowMs: 600_000 };

/**
 * HELIACTYL_RATE_LIMIT shared through Redis: two "processes" (their own
 * Redis connection, pacer and client) on one Redis stay under one budget,
 * counted at the fake dashboard.
 */
describe('the dashboard budget shared through Redis', { skip: redisSkip }, () => {
  let fake: FakeHeliactyl;
  const opened: Array<{ redis: Redis; client: HeliactylClient }> = [];
  const prefixes: string[] = [];

  // A fresh dashboard per test: its own count (per IP) would otherwise carry over, and the bot trusts it.
  beforeEach(async () => {
    fake = await FakeHeliactyl.start({ apiKey: KEY });
    fake.addUser({ id: USER, coins: 10 });
  });
  afterEach(async () => {
    await fake.close();
  });
  after(async () => {
    for (const { redis, client } of opened) {
      redis.disconnect();
      await client.close();
    }
    for (const prefix of prefixes) await dropPrefix(prefix);
  });

  /** One "process": its own connection, shared pacer and client, under `prefix`. */
  async function processOn(prefix: string, redis?: Redis): Promise<HeliactylClient> {
    const connection = redis ?? (await connectTestRedis(prefix));
    const pacer = new SharedPacer({ redis: connection, logger: silentLogger, budget: BUDGET, maxWaitMs: 0 });
    const client = new HeliactylClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 10_000, pacer });
    opened.push({ redis: connection, client });
    return client;
  }

  function freshPrefix(): string {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    return prefix;
  }

  test('two processes firing 10 requests each send 12 in all: the rest fail as rate_limited before sending', async () => {
    const prefix = freshPrefix();
    const [a, b] = [await processOn(prefix), await processOn(prefix)];
    const before = fake.requests.length;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).userInfo(USER)),
    );
    const sent = fake.requests.length - before;
    assert.equal(sent, 12, 'the dashboard received exactly the shared budget');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    assert.equal(refused.length, 8);
    for (const error of refused) {
      assert.ok(error instanceof HeliactylError && error.kind === 'rate_limited', String(error));
      assert.equal(error.mayHaveReachedServer, false);
    }
    assert.equal(await a.budgetRemaining(), 0);
    assert.equal(await b.budgetRemaining(), 0, 'the other process sees the budget spent too');
  });

  test("moderator priority across processes: one process's spending keeps the other's grant worker waiting", async () => {
    const prefix = freshPrefix();
    const [moderatorSide, workerSide] = [await processOn(prefix), await processOn(prefix)];
    // 5 moderator requests leave 7: fewer than a grant plus the 5 slots kept for moderators.
    for (let i = 0; i < 5; i += 1) await moderatorSide.userInfo(USER);
    assert.equal(await workerSide.budgetRemaining(), 7);
    assert.ok((await workerSide.budgetWaitMs(SLOTS_PER_GRANT + 5)) > 0, 'the worker waits for the window');
    assert.equal(await workerSide.budgetWaitMs(7), 0, 'a moderator command still goes out at once');
    await workerSide.userInfo(USER);
    assert.equal(await moderatorSide.budgetRemaining(), 6);
  });

  test('a 429 seen by one process holds the other back until Retry-After', async () => {
    // A dashboard allowing 2 requests per window, both spent by other software on the bot's IP.
    await fake.close();
    fake = await FakeHeliactyl.start({ apiKey: KEY, rateLimit: { limit: 2, windowMs: 600_000 } });
    fake.addUser({ id: USER, coins: 10 });
    for (let i = 0; i < 2; i += 1) await fetch(`${fake.url}/api`);
    const prefix = freshPrefix();
    const [a, b] = [await processOn(prefix), await processOn(prefix)];
    const first = await a.userInfo(USER).catch((caught: unknown) => caught);
    assert.ok(first instanceof HeliactylError && first.kind === 'rate_limited' && first.status === 429);
    const before = fake.requests.length;
    const second = await b.userInfo(USER).catch((caught: unknown) => caught);
    assert.ok(second instanceof HeliactylError && second.kind === 'rate_limited');
    assert.equal(second.mayHaveReachedServer, false);
    assert.equal(fake.requests.length, before, 'the other process sent nothing while blocked');
  });

  test('Redis unreachable: nothing is sent, and the error is worded "temporarily unavailable"', async () => {
    const port = await freePort();
    const down = connectRedis({
      url: `redis://127.0.0.1:${port}`,
      prefix: freshPrefix(),
      logger: silentLogger,
    });
    const client = await processOn('', down);
    const before = fake.requests.length;
    const error = await client.userInfo(USER).then(
      () => assert.fail('a request went out without the shared budget'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof CoordinationUnavailableError);
    assert.equal(fake.requests.length, before, 'the dashboard received nothing');
    assert.match(presentError(error)!.text, /temporarily unavailable/);
    await assert.rejects(Promise.resolve(client.budgetWaitMs(1)), CoordinationUnavailableError);
  });
});
