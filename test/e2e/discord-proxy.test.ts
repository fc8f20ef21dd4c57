import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { startProcess, type BotProcess } from '../helpers/bot-process.js';
import { ROLES, startE2E, waitForAnswer } from '../helpers/e2e.js';

/** `npm run proxy` against `discord`; resolves with the URL the bots use as DISCORD_API_URL. */
async function startProxy(discord: FakeDiscord): Promise<{ proxy: BotProcess; url: string }> {
  const proxy = startProcess(
    { DISCORD_PROXY_UPSTREAM_URL: discord.apiUrl, DISCORD_PROXY_PORT: '0', LOG_LEVEL: 'debug' },
    { script: 'src/proxy/index.ts' },
  );
  const listening = await proxy.waitForLog((line) => line.msg === 'Discord REST proxy listening');
  return { proxy, url: String(listening.url) };
}

test('issue13 item 10: with DISCORD_API_URL at the Discord proxy, the bot starts and answers through it', async () => {
  let proxy: BotProcess | undefined;
  let proxyUrl = '';
  const e2e = await startE2E({
    // One more hop on a loaded machine: this test is about the route, not Discord's 3 s deadline.
    discord: { callbackDeadlineMs: Infinity },
    env: async ({ discord }) => {
      ({ proxy, url: proxyUrl } = await startProxy(discord));
      return { DISCORD_API_URL: proxyUrl };
    },
  });
  try {
    assert.notEqual(proxyUrl, e2e.discord.apiUrl, 'the bot knows only the proxy');
    const interaction = e2e.discord.chatInput({
      name: 'panel',
      subcommand: 'status',
      roles: [ROLES.moderator],
    });
    const embed = await waitForAnswer(interaction, 30_000);
    assert.equal(embed.title, 'Dashboard is online');
    assert.equal(interaction.callbacks[0]?.type, 5, 'the defer went through the proxy too');
    // The proxy logs each request when its answer has gone back to the bot.
    const proxied = (route: (path: string) => boolean) =>
      proxy!.waitForLog((line) => line.msg === 'Proxied' && route(String(line.route)));
    await proxied((path) => path === '/api/v10/gateway/bot');
    await proxied((path) => path.startsWith(`/api/v10/interactions/${interaction.id}/`));
    const edit = await proxied((path) => path.startsWith(`/api/v10/webhooks/${e2e.discord.applicationId}/`));
    assert.equal(edit.status, 200);
    assert.doesNotMatch(
      JSON.stringify(proxy!.logs),
      new RegExp(interaction.token),
      'no interaction token logged',
    );
  } finally {
    await e2e.close();
    if (proxy) assert.equal(await proxy.stop(), 0, 'the proxy exits 0 on SIGTERM');
  }
});
