import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ROLES, startE2E, waitForAnswer, type E2E } from '../helpers/e2e.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('issue12: the HTTP server of the running bot', () => {
  let e2e: E2E;
  let base: string;
  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    e2e = await startE2E({ env: { HTTP_PORT: String(port) } });
    await e2e.bot.waitForLog((line) => line.msg === 'HTTP server listening');
  });
  after(async () => {
    await e2e.close();
  });

  test('/readyz is 200 once the shard is connected; /metrics counts interactions and their ack latency', async () => {
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', discord: true, store: true });
    await waitForAnswer(
      e2e.discord.chatInput({ name: 'panel', subcommand: 'status', roles: [ROLES.moderator] }),
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /hostlink_interactions_total\{command="panel"\} 1/);
    assert.match(metrics, /hostlink_ack_latency_seconds_count 1/);
    assert.match(metrics, /hostlink_console_streams_open 0/);
    // /panel status asked the dashboard (GET /api): the bot's client reports its latency.
    assert.match(metrics, /hostlink_upstream_latency_seconds_count\{api="heliactyl",status="200"\} [1-9]/);
    const unknownRoute = await fetch(`${base}/nope`);
    assert.equal(unknownRoute.status, 404);
    assert.deepEqual(await unknownRoute.json(), { error: 'not_found', message: 'No such route' });
  });
});
