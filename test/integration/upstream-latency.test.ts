import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { FakeAtomicHost } from '../fakes/atomichost/index.js';
import { HeliactylClient } from '../../src/heliactyl/client.js';
import { AtomicHostClient } from '../../src/atomichost/client.js';
import { Metrics } from '../../src/server/metrics.js';
import { Readiness } from '../../src/bot/readiness.js';
import { startHttpServer } from '../../src/server/http-server.js';
import { silentLogger } from '../helpers/silent-logger.js';

/** GET /metrics as a scraper sees it, from the bot's HTTP server (no webhook or grant routes configured). */
async function scrape(metrics: Metrics): Promise<string> {
  const server = await startHttpServer({
    config: { HTTP_PORT: 0, HTTP_HOST: '127.0.0.1', REWARDS_API_TOKENS: [] },
    logger: silentLogger,
    readiness: new Readiness(),
    metrics,
    // Not reached by /metrics: no rewards routes are configured.
    store: undefined as never,
    rewards: undefined as never,
    accountExists: () => Promise.resolve(false),
  });
  try {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    return await res.text();
  } finally {
    await server.close();
  }
}

const count = (body: string, api: string, status: number): number => {
  const line = body
    .split('\n')
    .find((l) => l.startsWith(`hostlink_upstream_latency_seconds_count{api="${api}",status="${status}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('issue12: upstream latency by API and status in /metrics', () => {
  let heliactyl: FakeHeliactyl;
  let atomichost: FakeAtomicHost;
  before(async () => {
    [heliactyl, atomichost] = await Promise.all([FakeHeliactyl.start(), FakeAtomicHost.start()]);
  });
  after(async () => {
    await Promise.all([heliactyl.close(), atomichost.close()]);
  });

  test('a Heliactyl request is counted under its status, a failed one under its status too', async () => {
    const metrics = new Metrics();
    const client = new HeliactylClient({
      baseUrl: heliactyl.url,
      apiKey: heliactyl.apiKey,
      timeoutMs: 5_000,
      latency: metrics.upstream,
    });
    try {
      assert.equal(count(await scrape(metrics), 'heliactyl', 200), 0, 'nothing before a request');
      await client.status();
      heliactyl.faults.add({ fault: { kind: 'status', status: 503 }, path: '/api', times: 1 });
      await assert.rejects(client.status());
      const body = await scrape(metrics);
      assert.equal(count(body, 'heliactyl', 200), 1);
      assert.equal(count(body, 'heliactyl', 503), 1);
      assert.match(
        body,
        /hostlink_upstream_latency_seconds_bucket\{le="10",api="heliactyl",status="200"\} 1/,
      );
    } finally {
      await client.close();
    }
  });

  test('an AtomicHost request is counted; one that got no answer is counted under status 0', async () => {
    const metrics = new Metrics();
    const client = new AtomicHostClient({
      baseUrl: atomichost.url,
      timeoutMs: 5_000,
      latency: metrics.upstream,
    });
    const owner = atomichost.addAccount({ username: 'steve', email: 's@example.com' });
    try {
      await client.forKey(owner.key).me();
      atomichost.faults.add({ fault: { kind: 'reset' }, path: '/me', times: 1 });
      await assert.rejects(client.forKey(owner.key).me());
      const body = await scrape(metrics);
      assert.equal(count(body, 'atomichost', 200), 1);
      assert.equal(count(body, 'atomichost', 0), 1);
      assert.equal(count(body, 'heliactyl', 200), 0, 'each client reports under its own API');
    } finally {
      await client.close();
    }
  });
});
