import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProcess } from '../helpers/bot-process.js';

test('npm start with no configuration exits 1 naming what is missing, without a stack trace', async () => {
  const bot = startProcess({});
  const code = await bot.waitForExit();
  assert.equal(code, 1);
  const lines = bot.stderr().trim().split('\n');
  assert.equal(lines[0], 'Hostlink cannot start — fix the configuration (.env or environment):');
  assert.deepEqual(lines.slice(1), [
    '  DISCORD_TOKEN is required to start the bot (the bot token from the Developer Portal)',
  ]);
  assert.doesNotMatch(bot.stderr(), /\bat .+:\d+:\d+/, 'no stack trace');
  assert.equal(bot.stdout(), '');
});

test('every invalid value gets its own line', async () => {
  const bot = startProcess({
    DISCORD_TOKEN: 'x',
    HELIACTYL_URL: 'not-a-url',
    HELIACTYL_API_KEY: 'k',
    ENCRYPTION_KEY: 'c2hvcnQ=',
    MODERATOR_ROLE_IDS: 'mods',
    CONSOLE_EDIT_INTERVAL_MS: 'fast',
  });
  assert.equal(await bot.waitForExit(), 1);
  const problems = bot
    .stderr()
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
  assert.equal(problems.length, 5, bot.stderr());
  assert.ok(problems.includes('DISCORD_TOKEN is not a bot token — Developer Portal → Bot → Reset Token'));
  assert.ok(problems.some((p) => p.startsWith('HELIACTYL_URL must be an http(s) URL')));
  assert.ok(problems.some((p) => p.startsWith('ENCRYPTION_KEY must be 32 bytes')));
  assert.ok(problems.some((p) => p.startsWith('MODERATOR_ROLE_IDS "mods" is not a Discord role id')));
  assert.ok(problems.some((p) => p.startsWith('CONSOLE_EDIT_INTERVAL_MS must be a whole number')));
  assert.doesNotMatch(bot.stderr(), /\bat .+:\d+:\d+/);
});

test('deploy without an application id exits 1 naming it', async () => {
  const deploy = startProcess({ DISCORD_TOKEN: 'x' }, { script: 'deploy-commands.ts' });
  assert.equal(await deploy.waitForExit(), 1);
  assert.match(deploy.stderr(), /DISCORD_APPLICATION_ID is required to deploy commands/);
});
