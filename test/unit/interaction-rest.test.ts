import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Routes } from 'discord.js';
import { createInteractionRest } from '../../src/bot/client.js';

test('issue13 item 3: handlers left by interaction-token edits are gone within a minute of idling, not kept for an hour', async (t) => {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  mock.timers.enable({ apis: ['setInterval'] });
  t.after(() => mock.timers.reset());
  const { port } = server.address() as AddressInfo;
  const rest = createInteractionRest({ DISCORD_API_URL: `http://127.0.0.1:${port}/api` });

  // Three interactions' reply edits: each token is a route with a handler of its own.
  for (const token of ['token-a', 'token-b', 'token-c'])
    await rest.patch(Routes.webhookMessage('100000000000000001', token, '@original'), {
      body: { content: 'done' },
      auth: false,
    });
  assert.equal(rest.handlers.size, 3);

  mock.timers.tick(60_000);
  assert.equal(rest.handlers.size, 0, 'idle handlers swept');
});
