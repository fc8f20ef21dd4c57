import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, waitForAnswer, ROLES, type E2E } from '../helpers/e2e.js';

let e2e: E2E;
before(async () => {
  // This file is about the gateway: Discord's 3 s answer deadline is off so a loaded machine cannot fail it.
  e2e = await startE2E({ discord: { callbackDeadlineMs: Infinity } });
});
after(async () => {
  await e2e.close();
});

const PINO_WARN = 40;

test('issue10 item 6: a lost gateway connection is logged once at warn, and so is its resumption', async () => {
  assert.equal(e2e.discord.dropGatewayConnections(), 1, 'the bot was connected');
  const lost = await e2e.bot.waitForLog((l) => l.msg === 'Lost the Discord gateway connection; reconnecting');
  const resumed = await e2e.bot.waitForLog(
    (l) => typeof l.msg === 'string' && l.msg.startsWith('Discord gateway connection resumed after '),
  );
  assert.equal(lost.level, PINO_WARN);
  assert.equal(lost.discordConnected, false, 'the readiness state says disconnected');
  assert.equal(resumed.level, PINO_WARN);
  assert.equal(resumed.discordConnected, true, 'the readiness state says connected again');
  assert.equal(e2e.discord.gatewayResumes, 1, 'the session was resumed, not replaced');

  // The bot answers again over the resumed session; only then are the log lines counted.
  const embed = await waitForAnswer(
    e2e.discord.chatInput({ name: 'panel', subcommand: 'status', roles: [ROLES.moderator] }),
    20_000,
  );
  assert.equal(embed.title, 'Dashboard is online');
  const count = (prefix: string) =>
    e2e.bot.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith(prefix)).length;
  assert.equal(count('Lost the Discord gateway connection'), 1);
  assert.equal(count('Discord gateway connection '), 1);
});
