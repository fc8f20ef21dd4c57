import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config.js';
import { baseEnv, problemsOf } from '../helpers/config.js';

const base = baseEnv;

test('issue13: REDIS_URL is off by default; the prefix and lease have defaults', () => {
  const config = parseConfig(base, 'bot');
  assert.equal(config.REDIS_URL, undefined);
  assert.equal(config.REDIS_PREFIX, 'hostlink:');
  assert.equal(config.REDIS_LEASE_MS, 15_000);
});

test('issue13: REDIS_URL, REDIS_PREFIX and REDIS_LEASE_MS are read', () => {
  const config = parseConfig(
    {
      ...base,
      REDIS_URL: 'rediss://:pw@redis.internal:6380/2',
      REDIS_PREFIX: 'bot-a:',
      REDIS_LEASE_MS: '5000',
    },
    'bot',
  );
  assert.equal(config.REDIS_URL, 'rediss://:pw@redis.internal:6380/2');
  assert.equal(config.REDIS_PREFIX, 'bot-a:');
  assert.equal(config.REDIS_LEASE_MS, 5_000);
});

test('issue13: a bad REDIS_URL is one clear line that does not echo the URL (it may hold a password)', () => {
  const problems = problemsOf({ ...base, REDIS_URL: 'http://:s3cret@redis:6379', REDIS_PREFIX: 'a b' });
  assert.deepEqual(problems, [
    'REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)',
    'REDIS_PREFIX must be 1–64 letters, digits or _ : . -',
  ]);
  assert.ok(!problems.join('\n').includes('s3cret'));
});
