import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botTokenShapeProblem, parseConfig, runsShardManager } from '../../src/config.js';
import { baseEnv, problemsOf } from '../helpers/config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const base = baseEnv;

test('defaults apply when only the token is set', () => {
  const config = parseConfig(base, 'bot');
  assert.equal(config.DISCORD_API_URL, 'https://discord.com/api');
  assert.equal(config.ATOMICHOST_API_URL, 'https://atomichost.xyz/api/client/v1');
  assert.equal(config.STORE_URL, 'sqlite://data/hostlink.sqlite');
  assert.equal(config.CONSOLE_EDIT_INTERVAL_MS, 1500);
  assert.equal(config.HTTP_TIMEOUT_MS, 10_000);
  assert.equal(config.LOG_LEVEL, 'info');
  assert.equal(config.ADMIN_ROLE_IDS.size, 0);
  assert.deepEqual(config.ENCRYPTION_KEY_PREVIOUS, []);
});

test('blank values count as unset', () => {
  const config = parseConfig(
    { ...base, HTTP_TIMEOUT_MS: '  ', LOG_LEVEL: '', HELIACTYL_URL: '', HELIACTYL_API_KEY: '' },
    'bot',
  );
  assert.equal(config.HTTP_TIMEOUT_MS, 10_000);
  assert.equal(config.LOG_LEVEL, 'info');
  assert.equal(config.HELIACTYL_URL, undefined);
  assert.deepEqual(problemsOf({ DISCORD_TOKEN: '   ' }), [
    'DISCORD_TOKEN is required to start the bot (the bot token from the Developer Portal)',
  ]);
});

test('role id lists become sets of snowflakes; bad entries are named', () => {
  const config = parseConfig({ ...base, ADMIN_ROLE_IDS: '111111111111111111, 222222222222222222,' }, 'bot');
  assert.deepEqual([...config.ADMIN_ROLE_IDS], ['111111111111111111', '222222222222222222']);
  const problems = problemsOf({ ...base, MODERATOR_ROLE_IDS: '111111111111111111,admins' });
  assert.deepEqual(problems, ['MODERATOR_ROLE_IDS "admins" is not a Discord role id (17–20 digits)']);
});

test('ENCRYPTION_KEY must decode to exactly 32 bytes', () => {
  assert.equal(parseConfig({ ...base, ENCRYPTION_KEY: KEY }, 'bot').ENCRYPTION_KEY, KEY);
  const short = Buffer.alloc(16, 1).toString('base64');
  assert.match(problemsOf({ ...base, ENCRYPTION_KEY: short })[0] ?? '', /^ENCRYPTION_KEY must be 32 bytes/);
  assert.match(problemsOf({ ...base, ENCRYPTION_KEY: 'not base64 at all!!' })[0] ?? '', /^ENCRYPTION_KEY/);
  assert.match(
    problemsOf({ ...base, ENCRYPTION_KEY_PREVIOUS: `${KEY},${short}` })[0] ?? '',
    /^ENCRYPTION_KEY_PREVIOUS entry 2 must be 32 bytes/,
  );
});

test('every problem is reported, one line each', () => {
  const problems = problemsOf({
    HTTP_TIMEOUT_MS: 'soon',
    LOG_LEVEL: 'loud',
    HELIACTYL_URL: 'dash.example.com',
    AUDIT_CHANNEL_ID: '12',
  });
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('HTTP_TIMEOUT_MS must be a whole number')));
  assert.ok(problems.some((p) => p.startsWith('LOG_LEVEL ')));
  assert.ok(problems.some((p) => p === 'HELIACTYL_URL must be an http(s) URL'));
  assert.ok(problems.some((p) => p.startsWith('AUDIT_CHANNEL_ID must be a Discord id')));
  assert.ok(problems.some((p) => p.startsWith('DISCORD_TOKEN is required')));
  for (const p of problems) assert.ok(!p.includes('\n'), `one line: ${p}`);
});

test('the Heliactyl URL and key come together', () => {
  assert.deepEqual(problemsOf({ ...base, HELIACTYL_URL: 'https://dash.example.com' }), [
    'HELIACTYL_API_KEY is required when HELIACTYL_URL is set',
  ]);
  assert.deepEqual(problemsOf({ ...base, HELIACTYL_API_KEY: 'secret' }), [
    'HELIACTYL_URL is required when HELIACTYL_API_KEY is set',
  ]);
});

test('deploying needs the application id as well', () => {
  assert.deepEqual(problemsOf({ ...base }, 'deploy'), [
    'DISCORD_APPLICATION_ID is required to deploy commands (the application id)',
  ]);
  const config = parseConfig({ ...base, DISCORD_APPLICATION_ID: '123456789012345678' }, 'deploy');
  assert.equal(config.DISCORD_APPLICATION_ID, '123456789012345678');
});

test('numeric ranges are enforced', () => {
  assert.match(
    problemsOf({ ...base, CONSOLE_EDIT_INTERVAL_MS: '10' })[0] ?? '',
    /CONSOLE_EDIT_INTERVAL_MS must be at least 250/,
  );
  assert.match(
    problemsOf({ ...base, HTTP_TIMEOUT_MS: '1.5' })[0] ?? '',
    /HTTP_TIMEOUT_MS must be a whole number/,
  );
});

test('issue10 item 5: DISCORD_TOKEN is checked for the shape of a bot token when the entry points ask', () => {
  const id = Buffer.from('123456789012345678').toString('base64url');
  const good = `${id}.GhIjKl.${'a1B2c3D4e5'.repeat(4)}`;
  assert.equal(botTokenShapeProblem(good), undefined);
  assert.equal(botTokenShapeProblem(undefined), undefined, 'a missing token has its own message');
  const notABotToken = 'DISCORD_TOKEN is not a bot token — Developer Portal → Bot → Reset Token';
  for (const wrong of [
    '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f', // client secret
    'a'.repeat(64), // public key
    `${Buffer.from('not-a-user-id-at-all').toString('base64url')}.GhIjKl.${'a'.repeat(30)}`,
  ]) {
    assert.equal(botTokenShapeProblem(wrong), notABotToken, wrong);
  }
  assert.match(
    botTokenShapeProblem(`Bot ${good}`) ?? '',
    /^DISCORD_TOKEN must be the token alone, without "Bot "/,
  );
  assert.deepEqual(problemsOf({ DISCORD_TOKEN: 'abc' }, 'bot', { checkTokenShape: true }), [notABotToken]);
  assert.equal(
    parseConfig({ DISCORD_TOKEN: 'abc' }, 'bot').DISCORD_TOKEN,
    'abc',
    'unit tests may use dummies',
  );
});

test("issue10 item 5: a bad LOG_LEVEL lists the levels instead of zod's raw text", () => {
  assert.deepEqual(problemsOf({ ...base, LOG_LEVEL: 'verbose' }), [
    'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
  ]);
});

test('issue13 item 7: SHARD_COUNT is 1, a whole number or auto; SHARD_IDS defaults to all', () => {
  const single = parseConfig(base, 'bot');
  assert.equal(single.SHARD_COUNT, 1);
  assert.equal(single.SHARD_IDS, undefined);
  assert.equal(runsShardManager(single), false);
  const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
  const two = parseConfig({ ...base, ...redis, SHARD_COUNT: '2', SHARD_IDS: ' 1, 0 ' }, 'bot');
  assert.equal(two.SHARD_COUNT, 2);
  assert.deepEqual(two.SHARD_IDS, [1, 0]);
  assert.equal(runsShardManager(two), true);
  const auto = parseConfig({ ...base, ...redis, SHARD_COUNT: 'AUTO' }, 'bot');
  assert.equal(auto.SHARD_COUNT, 'auto');
  assert.equal(runsShardManager(auto), true);
  assert.equal(runsShardManager(parseConfig({ ...base, SHARD_COUNT: '1', SHARD_IDS: '0' }, 'bot')), false);
});

test('issue13 item 8: several processes need REDIS_URL (the bot refuses to start sharded without it; deploy does not care)', () => {
  const line =
    'REDIS_URL is required when SHARD_COUNT is not 1: the shard processes share the dashboard budget, ' +
    'the grant worker and the console stream limit through it';
  assert.deepEqual(problemsOf({ ...base, SHARD_COUNT: '2' }), [line]);
  assert.deepEqual(problemsOf({ ...base, SHARD_COUNT: 'auto' }), [line]);
  assert.equal(
    parseConfig({ ...base, DISCORD_APPLICATION_ID: '123456789012345678', SHARD_COUNT: '2' }, 'deploy')
      .SHARD_COUNT,
    2,
  );
  assert.equal(parseConfig({ ...base, SHARD_COUNT: '1' }, 'bot').REDIS_URL, undefined);
});

test('issue13 item 7: bad shard settings get one line each', () => {
  assert.deepEqual(problemsOf({ ...base, SHARD_COUNT: 'two' }), [
    'SHARD_COUNT must be auto or a whole number from 1 to 10000 (got "two")',
  ]);
  assert.deepEqual(problemsOf({ ...base, SHARD_COUNT: '0' }), [
    'SHARD_COUNT must be auto or a whole number from 1 to 10000 (got "0")',
  ]);
  assert.deepEqual(problemsOf({ ...base, SHARD_COUNT: '4', SHARD_IDS: '1,x,-2' }), [
    'SHARD_IDS "x" is not a shard id (a whole number from 0)',
    'SHARD_IDS "-2" is not a shard id (a whole number from 0)',
  ]);
  assert.deepEqual(problemsOf({ ...base, SHARD_COUNT: '4', SHARD_IDS: '3,4,9,3' }), [
    'SHARD_IDS 4 is not a shard of SHARD_COUNT 4 (shard ids run from 0 to 3)',
    'SHARD_IDS 9 is not a shard of SHARD_COUNT 4 (shard ids run from 0 to 3)',
    'SHARD_IDS names shard 3 twice',
  ]);
  assert.deepEqual(problemsOf({ ...base, SHARD_COUNT: 'auto', SHARD_IDS: '0' }), [
    'SHARD_IDS needs a number in SHARD_COUNT, not auto: machines splitting the shards must agree on the total',
  ]);
  assert.deepEqual(problemsOf({ ...base, SHARD_IDS: '1' }), [
    'SHARD_IDS 1 is not a shard of SHARD_COUNT 1 (shard ids run from 0 to 0)',
  ]);
});
