import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachmentName, languageFor, looksBinary } from '../../src/user/format.js';
import { codeBlock, formatBytes, formatDuration } from '../../src/text.js';
import { creditsText } from '../../src/user/footer.js';
import { TtlCache } from '../../src/user/cache.js';
import { serverChoices, serverIdFrom } from '../../src/user/options.js';
import { UserCaches } from '../../src/user/caches.js';
import { AtomicHostError, isKeyRevoked } from '../../src/atomichost/errors.js';
import { presentError } from '../../src/presenter/errors.js';
import { KeyRefusedError } from '../../src/user/key-errors.js';
import { UserError } from '../../src/errors.js';
import { ManualClock } from '../helpers/manual-clock.js';

test('bytes and durations read like a person would write them', () => {
  assert.equal(formatBytes(12), '12 B');
  assert.equal(formatBytes(1234), '1.21 KiB');
  assert.equal(formatBytes(1_073_741_824), '1.00 GiB');
  assert.equal(formatBytes(5_368_709_120), '5.00 GiB');
  assert.equal(formatBytes(300 * 1024 * 1024), '300 MiB');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(93_784_000), '1 d 2 h 3 min');
});

test('code blocks cannot be broken out of', () => {
  const block = codeBlock('a ``` b\n````\n`', 'yaml');
  assert.ok(block.startsWith('```yaml\n'), 'opening fence');
  assert.ok(block.endsWith('\n```'), 'closing fence');
  assert.equal(block.match(/```/g)?.length, 2, 'no fence inside');
});

test('languages come from the extension', () => {
  assert.equal(languageFor('/server.properties'), 'properties');
  assert.equal(languageFor('/plugins/x/config.YML'), 'yaml');
  assert.equal(languageFor('/a/b.json'), 'json');
  assert.equal(languageFor('/README'), '');
  assert.equal(languageFor('/weird.zzz'), '');
});

test('binary detection: NUL bytes or many non-printable characters', () => {
  assert.equal(looksBinary('hello\nworld\ttab'), false);
  assert.equal(looksBinary('PK\u0003\u0004\u0000\u0000'), true);
  assert.equal(looksBinary('\ufffd\ufffd\ufffdabc\u0001\u0002'), true);
  assert.equal(looksBinary('ünïcödé ✓ text'), false);
});

test('attachment names are safe', () => {
  assert.equal(attachmentName('/logs/latest.log'), 'latest.log');
  assert.equal(attachmentName('/a/my file (1).txt'), 'my_file_1_.txt');
  assert.equal(attachmentName('/a/.env'), 'env');
});

test('credits footer', () => {
  const resetAt = new Date('2026-06-28T00:00:00Z');
  assert.equal(
    creditsText({ credits: { limit: 2500, used: 12, remaining: 2488, resetAt } }),
    '2,488 of 2,500 credits left today · resets Jun 28, 00:00 UTC',
  );
  assert.equal(creditsText({}), undefined);
});

test('the TTL cache expires, is bounded, and shares one fetch', async () => {
  const clock = new ManualClock();
  const cache = new TtlCache<number[]>(30_000, 2, clock);
  let loads = 0;
  const load = async () => {
    loads += 1;
    return [loads];
  };
  const [a, b] = await Promise.all([cache.fetch('u1', load), cache.fetch('u1', load)]);
  assert.deepEqual([a, b, loads], [[1], [1], 1]);
  await clock.advance(29_999);
  assert.deepEqual(await cache.fetch('u1', load), [1]);
  await clock.advance(1);
  assert.equal(cache.peek('u1')?.fresh, false);
  assert.deepEqual(await cache.fetch('u1', load), [2]);
  cache.set('u2', [0]);
  cache.set('u3', [0]);
  assert.equal(cache.size, 2);
  assert.equal(cache.peek('u1'), undefined, 'the oldest entry went first');
});

test('server choices filter by name or id, at most 25, names within 100 characters', () => {
  const servers = Array.from({ length: 40 }, (_, i) => ({
    id: 100 + i,
    name: i === 0 ? 'x'.repeat(150) : `Server ${i}`,
    status: 'active',
    service: 'pterodactyl',
    role: 'owner',
  }));
  const all = serverChoices(servers, '');
  assert.equal(all.length, 25);
  assert.ok(
    all.every((c) => c.name.length <= 100),
    'names fit',
  );
  assert.deepEqual(
    serverChoices(servers, 'server 3').map((c) => c.value),
    ['103', '130', '131', '132', '133', '134', '135', '136', '137', '138', '139'],
  );
  assert.deepEqual(
    serverChoices(servers, '139').map((c) => c.value),
    ['139'],
  );
});

test('server values: ids pass, names without a cached match are refused locally', () => {
  assert.equal(serverIdFrom(' 101 ', 'u', new UserCaches()), '101');
  assert.equal(serverIdFrom('My server (#205)', 'u', new UserCaches()), '205');
  assert.throws(() => serverIdFrom('../101', 'u', new UserCaches()), UserError);
});

/**
 * Every documented code's sentence, at unit level. The e2e table
 * (test/e2e/user-errors.test.ts) produces each one through the fake as well.
 */
test('every documented error code maps to a specific sentence', () => {
  const cases: Array<[string, number, string, RegExp]> = [
    ['missing_token', 401, '/servers', /without your API key.*not with your key/],
    ['invalid_key', 401, '/servers', /regenerated or revoked.*deleted the copy/],
    ['account_banned', 403, '/servers', /banned or suspended.*deleted the copy/],
    ['insufficient_service_permission', 403, '/servers/1/files', /don't have the files permission/],
    ['feature_unavailable', 403, '/servers/1/backups', /package doesn't include backups/],
    ['service_inactive', 403, '/servers/1/power', /isn't active/],
    ['not_found', 404, '/servers/1', /could not find what was asked for/],
    ['validation_failed', 422, '/servers/1/backups', /refused the request as invalid/],
    ['rate_limited', 429, '/servers', /too fast — try again in 3 seconds/],
    ['daily_credit_limit_reached', 429, '/servers', /used today's API credits; they reset <t:/],
    ['too_many_streams', 429, '/servers/1/console/stream', /3 console streams open/],
    ['backend_unavailable', 502, '/servers/1/status', /backend is unreachable.*credit was refunded/],
  ];
  const texts = new Set<string>();
  for (const [code, status, path, expect] of cases) {
    const error = new AtomicHostError({
      code,
      status,
      method: 'GET',
      path,
      retryAfterMs: 3000,
      resetAt: new Date('2026-06-28T00:00:00Z'),
    });
    // What the user reads: a revoked stored key is deleted (src/user/api.ts) and reads as such.
    const shownError = isKeyRevoked(error)
      ? new KeyRefusedError(code as KeyRefusedError['code'], true, { cause: error })
      : error;
    const text = presentError(shownError)?.text ?? '';
    assert.match(text, expect, code);
    texts.add(text);
  }
  assert.equal(texts.size, cases.length, 'each code reads differently');
});
