import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config.js';
import { baseEnv, problemsOf } from '../helpers/config.js';

const base = baseEnv;

test('issue12: rewards and HTTP variables default to off, 127.0.0.1 and 250/10m', () => {
  const config = parseConfig(base, 'bot');
  assert.equal(config.HTTP_PORT, undefined);
  assert.equal(config.HTTP_HOST, '127.0.0.1');
  assert.deepEqual(config.HELIACTYL_RATE_LIMIT, { limit: 250, windowMs: 600_000 });
  assert.deepEqual(config.REWARDS_API_TOKENS, []);
  assert.equal(config.TOPGG_WEBHOOK_SECRET, undefined);
  assert.equal(config.DBL_WEBHOOK_SECRET, undefined);
});

test('issue12: HELIACTYL_RATE_LIMIT, HTTP_PORT and tokens are parsed', () => {
  const config = parseConfig(
    {
      ...base,
      HTTP_PORT: '8080',
      HELIACTYL_RATE_LIMIT: '100/1h',
      REWARDS_API_TOKENS: 'aaaaaaaaaaaaaaaa1, bbbbbbbbbbbbbbbb2',
    },
    'bot',
  );
  assert.equal(config.HTTP_PORT, 8080);
  assert.deepEqual(config.HELIACTYL_RATE_LIMIT, { limit: 100, windowMs: 3_600_000 });
  assert.deepEqual(config.REWARDS_API_TOKENS, ['aaaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbbb2']);
});

test('issue12: bad rewards variables are one clear line each, tokens never echoed', () => {
  const problems = problemsOf({
    ...base,
    HTTP_PORT: '70000',
    HELIACTYL_RATE_LIMIT: '250 per 10 minutes',
    REWARDS_API_TOKENS: 'short-secret',
  });
  assert.deepEqual(problems, [
    'HTTP_PORT must be a port number (0–65535)',
    'HELIACTYL_RATE_LIMIT must be <requests>/<duration>, e.g. 250/10m (got "250 per 10 minutes")',
    'REWARDS_API_TOKENS entry 1 must be 16–256 visible characters (e.g. openssl rand -hex 24)',
  ]);
  assert.ok(!problems.join('\n').includes('short-secret'));
});
