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

test('issue13 item 5: an invalidated session is logged once at warn, and the bot answers again on a new one', async () => {
  const before = e2e.bot.logs.length;
  assert.equal(e2e.discord.invalidateGatewaySessions(), 1, 'the bot was connected');
  const invalid = await e2e.bot.waitForLog(
    (l) =>
      l.msg === 'Discord invalidated the gateway session; starting a new one (events meanwhile are lost)',
  );
  const back = await e2e.bot.waitForLog(
    (l) =>
      typeof l.msg === 'string' && l.msg.startsWith('Discord gateway connection back (new session) after '),
  );
  assert.equal(invalid.level, PINO_WARN);
  assert.equal(invalid.shardId, 0);
  assert.equal(back.level, PINO_WARN);

  const embed = await waitForAnswer(
    e2e.discord.chatInput({ name: 'panel', subcommand: 'status', roles: [ROLES.moderator] }),
    20_000,
  );
  assert.equal(embed.title, 'Dashboard is online');
  const since = e2e.bot.logs.slice(before);
  assert.equal(
    since.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Discord invalidated')).length,
    1,
  );
  assert.equal(since.filter((l) => l.msg === 'Lost the Discord gateway connection; reconnecting').length, 1);
});

test('issue13 item 5: every line of the bot names its shard', () => {
  const ready = e2e.bot.logs.find((l) => l.msg === 'Hostlink is ready');
  assert.equal(ready?.shard, 0);
  const commandLines = e2e.bot.logs.filter((l) => typeof l.command === 'string');
  assert.ok(commandLines.length > 0, 'the commands above were logged');
  for (const line of commandLines) assert.equal(line.shard, 0, JSON.stringify(line));
  const json = e2e.bot.logs.filter((l) => !('raw' in l));
  assert.deepEqual(
    json.filter((l) => l.shard === undefined).map((l) => l.msg),
    [],
    'no line without its shard once the bot has started',
  );
});
