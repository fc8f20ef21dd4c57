import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import { command, seen, setKey, str, userWithKey } from '../helpers/user-side.js';
import { openConsole } from '../helpers/console.js';
import type { FakeInteraction } from '../fakes/discord/index.js';
import {
  expiryOf,
  freePort,
  redisSkip,
  startOwnRedis,
  uniquePrefix,
  type OwnRedis,
} from '../helpers/redis.js';

const UNREACHABLE =
  'Redis is unreachable: commands that need it answer "temporarily unavailable" until it is back';

/** Console stream requests the fake AtomicHost received. */
function streamRequests(e2e: E2E): number {
  return e2e.atomichost.requests.filter((r) => r.path.endsWith('/console/stream')).length;
}

async function titled(interaction: FakeInteraction, title: string): Promise<{ description?: string }> {
  await interaction.waitFor(
    () => (interaction.original?.embeds[0] as { title?: string } | undefined)?.title === title,
  );
  return interaction.original!.embeds[0] as { description?: string };
}

/**
 * The real bot (two processes where it matters) with REDIS_URL, against the
 * fakes. Each test runs a redis-server of its own on a free port: one is
 * killed (an outage), and expiries are announced as events.
 */
describe('Hostlink processes coordinated through Redis', { skip: redisSkip }, () => {
  test("AtomicHost's 3 streams are counted across two bot processes; a killed process's streams expire", async () => {
    const redis = await startOwnRedis();
    const prefix = uniquePrefix();
    const shared = { REDIS_URL: redis.url, REDIS_PREFIX: prefix, REDIS_LEASE_MS: '1500' };
    let first: E2E | undefined;
    let second: E2E | undefined;
    try {
      first = await startE2E({ env: shared });
      const upstream = first.atomichost;
      second = await startE2E({
        env: { ...shared, ATOMICHOST_API_URL: upstream.url, ATOMICHOST_TRANSFER_HOSTS: upstream.origin },
      });
      const { userId, account } = await userWithKey(first, 'spread');
      assert.equal((await setKey(second, userId, account.key)).embed.title, 'API key saved');
      const services = Array.from({ length: 4 }, (_, i) =>
        upstream.addService({ name: `Node ${i}`, ownerId: account.id }),
      );
      for (const service of services.slice(0, 3)) await openConsole(first, userId, service.id);
      assert.equal(upstream.openStreams(account.id), 3);

      const before = streamRequests(first);
      const refused = command(second, userId, 'console', 'stream', [str('server', String(services[3]!.id))]);
      const embed = await titled(refused, 'Too many console streams');
      assert.match(embed.description!, /AtomicHost allows 3 console streams per account at a time/);
      assert.equal((embed.description!.match(/held by another Hostlink process/g) ?? []).length, 3);
      assert.equal(streamRequests(first), before, 'the 4th was refused without asking AtomicHost');

      // The first process dies without releasing anything; its places expire in Redis.
      const expiry = await expiryOf(redis.url, `${prefix}streams:${userId}`);
      first.bot.child.kill('SIGKILL');
      await first.bot.waitForExit();
      await expiry.expired;
      expiry.close();
      // openConsole resolves only once the message shows the live console.
      await openConsole(second, userId, services[3]!.id);
    } finally {
      await second?.close();
      await first?.close();
      await redis.kill();
    }
  });

  test('Redis down: /console stream answers "temporarily unavailable", /readyz is 503, the bot lives on and recovers', async () => {
    let redis: OwnRedis | undefined;
    let e2e: E2E | undefined;
    try {
      redis = await startOwnRedis();
      const port = await freePort();
      const readyz = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      e2e = await startE2E({
        env: { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), HTTP_PORT: String(port) },
      });
      await e2e.bot.waitForLog((line) => line.msg === 'HTTP server listening');
      assert.deepEqual(await readyz(), {
        status: 200,
        body: { status: 'ready', discord: true, store: true, redis: true },
      });
      const { userId, account } = await userWithKey(e2e, 'outage');
      const service = e2e.atomichost.addService({ name: 'Lonely', ownerId: account.id });

      await redis.kill();
      await e2e.bot.waitForLog((line) => line.msg === UNREACHABLE);
      const before = streamRequests(e2e);
      const refused = command(e2e, userId, 'console', 'stream', [str('server', String(service.id))]);
      const embed = await seen(refused);
      assert.equal(embed.title, 'Temporarily unavailable');
      assert.match(embed.description!, /temporarily unavailable/);
      assert.equal(streamRequests(e2e), before, 'no stream was opened uncounted');
      assert.deepEqual(await readyz(), {
        status: 503,
        body: { status: 'not ready', discord: true, store: true, redis: false },
      });
      // Commands that do not need Redis still work, and the process is alive.
      assert.equal((await seen(command(e2e, userId, 'server', 'list'))).title, 'Your servers');
      assert.equal(e2e.bot.child.exitCode, null);

      // Back: the client reconnects on its own.
      await redis.restart();
      await e2e.bot.waitForLog((line) => line.msg === 'Redis is reachable again');
      await openConsole(e2e, userId, service.id);
      assert.equal((await readyz()).status, 200);
    } finally {
      await e2e?.close();
      await redis?.kill();
    }
  });
});
