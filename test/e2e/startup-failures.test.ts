import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FakeDiscord } from '../fakes/discord/index.js';
import { botTokenFor } from '../fakes/discord/ids.js';
import { startProcess, type BotProcess } from '../helpers/bot-process.js';

/**
 * A start that fails says so in one plain line on stderr, plus a hint, and
 * exits 1: no JSON log line, no stack, and no encryption key file written.
 */
async function expectFailure(bot: BotProcess, expected: { line: string | RegExp; hint?: string | RegExp }) {
  assert.equal(await bot.waitForExit(), 1, bot.stderr());
  const lines = bot.stderr().trimEnd().split('\n');
  assert.equal(lines.length, expected.hint === undefined ? 1 : 2, bot.stderr());
  if (typeof expected.line === 'string') assert.equal(lines[0], expected.line);
  else assert.match(lines[0]!, expected.line);
  if (expected.hint !== undefined) {
    if (typeof expected.hint === 'string') assert.equal(lines[1], `  ${expected.hint}`);
    else assert.match(lines[1]!, expected.hint);
  }
  assert.equal(bot.stdout(), '', 'no log line (JSON or otherwise) about the failure on stdout');
  assert.doesNotMatch(bot.stderr(), /\bat .+:\d+:\d+/, 'no stack trace');
  assert.ok(!existsSync(join(bot.cwd, 'data', 'encryption.key')), 'no key file was generated');
}

/** A well-shaped bot token the fake does not accept. */
const WRONG_TOKEN = botTokenFor('123456789012345678');

describe('issue10 item 5: start failures are one plain line and a hint', () => {
  let discord: FakeDiscord;
  before(async () => {
    discord = await FakeDiscord.start();
  });
  after(async () => {
    await discord.close();
  });

  test('issue10 item 5: a DISCORD_TOKEN not shaped like a bot token is refused locally, before any request', async () => {
    const before = discord.requests.length;
    const bot = startProcess({
      DISCORD_TOKEN: '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f', // a client secret, pasted by mistake
      DISCORD_API_URL: discord.apiUrl,
    });
    assert.equal(await bot.waitForExit(), 1);
    assert.deepEqual(bot.stderr().trimEnd().split('\n'), [
      'Hostlink cannot start — fix the configuration (.env or environment):',
      '  DISCORD_TOKEN is not a bot token — Developer Portal → Bot → Reset Token',
    ]);
    assert.equal(discord.requests.length, before, 'Discord was not asked');
    assert.ok(!existsSync(join(bot.cwd, 'data')), 'nothing written to disk');
  });

  test('issue10 item 5: a token Discord refuses (401) names DISCORD_TOKEN and how to reset it', async () => {
    const bot = startProcess({ DISCORD_TOKEN: WRONG_TOKEN, DISCORD_API_URL: discord.apiUrl });
    await expectFailure(bot, {
      line: 'Hostlink cannot start: Discord refused DISCORD_TOKEN (401 Unauthorized)',
      hint: 'Developer Portal → Bot → Reset Token, then put the new token in DISCORD_TOKEN.',
    });
    assert.ok(!bot.stderr().includes(WRONG_TOKEN), 'the token is not echoed');
  });

  test('issue10 item 5: a stale fake URL says nothing listens at DISCORD_API_URL', async () => {
    const gone = await FakeDiscord.start();
    const staleUrl = gone.apiUrl;
    await gone.close();
    const bot = startProcess({ DISCORD_TOKEN: gone.botToken, DISCORD_API_URL: staleUrl });
    await expectFailure(bot, {
      line: `Hostlink cannot start: nothing listens at DISCORD_API_URL ${staleUrl}`,
      hint: /npm run fakes/,
    });
  });

  test('issue10 item 5: Discord unreachable (no such host) is one line naming the URL', async () => {
    const bot = startProcess({
      DISCORD_TOKEN: WRONG_TOKEN,
      DISCORD_API_URL: 'http://discord.invalid/api',
      HTTP_TIMEOUT_MS: '3000',
    });
    await expectFailure(bot, {
      line: /^Hostlink cannot start: cannot reach Discord at http:\/\/discord\.invalid\/api \(.+\)$/,
      hint: /DISCORD_API_URL/,
    });
  });

  test('issue10 item 5 / issue12: a Postgres STORE_URL nobody answers, or an unknown scheme, is one line without the password', async () => {
    const postgres = startProcess({
      DISCORD_TOKEN: discord.botToken,
      DISCORD_API_URL: discord.apiUrl,
      STORE_URL: 'postgres://hostlink:s3cret-pass@127.0.0.1:1/hostlink',
    });
    await expectFailure(postgres, {
      line: /^Hostlink cannot start: cannot open STORE_URL postgres:\/\/127\.0\.0\.1:1\/hostlink: .*ECONNREFUSED/,
    });
    assert.ok(!postgres.stderr().includes('s3cret'), 'the password in the URL is not echoed');
    const mysql = startProcess({
      DISCORD_TOKEN: discord.botToken,
      STORE_URL: 'mysql://hostlink:s3cret-pass@127.0.0.1/hostlink',
    });
    assert.equal(await mysql.waitForExit(), 1);
    assert.deepEqual(mysql.stderr().trimEnd().split('\n'), [
      'Hostlink cannot start — fix the configuration (.env or environment):',
      '  STORE_URL scheme "mysql://" is not supported: use sqlite://<file> (default sqlite://data/hostlink.sqlite), postgres://… or redis://…',
    ]);
    assert.ok(!mysql.stderr().includes('s3cret'), 'the password in the URL is not echoed');
  });

  test('issue10 item 5: a bad LOG_LEVEL lists the levels', async () => {
    const bot = startProcess({ DISCORD_TOKEN: discord.botToken, LOG_LEVEL: 'verbose' });
    assert.equal(await bot.waitForExit(), 1);
    assert.deepEqual(bot.stderr().trimEnd().split('\n'), [
      'Hostlink cannot start — fix the configuration (.env or environment):',
      '  LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ]);
  });
});
