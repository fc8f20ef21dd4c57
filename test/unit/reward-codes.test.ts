import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CodeHasher, maskedHint, normalizeCode } from '../../src/rewards/code-secret.js';
import { CodeAttempts } from '../../src/rewards/code-attempts.js';
import { parseCodeExpiry } from '../../commands/rewards/code-expiry.js';

const NOW = new Date('2026-11-30T12:00:00Z');

test('issue12: codes are normalised (trim, upper case) and checked for format and length', () => {
  assert.equal(normalizeCode('  summer-2026_a '), 'SUMMER-2026_A');
  assert.equal(normalizeCode('abc'), null, 'too short');
  assert.equal(normalizeCode('x'.repeat(33)), null, 'too long');
  assert.equal(normalizeCode('two words'), null);
  assert.equal(normalizeCode('ÄBCD'), null);
});

test('issue12: the masked hint shows one or two characters and the length, never the code', () => {
  assert.equal(maskedHint('ABCD'), 'A•••');
  assert.equal(maskedHint('SUMMER2026'), 'SU••••••••');
});

test('issue12: keyed hashes depend on the secret; old secrets still match; matching needs the exact hash', () => {
  const current = randomBytes(32);
  const old = randomBytes(32);
  const hasher = new CodeHasher([current, old]);
  const alone = new CodeHasher([old]);
  assert.match(hasher.hash('CODE1'), /^[0-9a-f]{64}$/);
  assert.notEqual(hasher.hash('CODE1'), new CodeHasher([randomBytes(32)]).hash('CODE1'));
  assert.deepEqual(hasher.candidates('CODE1'), [hasher.hash('CODE1'), alone.hash('CODE1')]);
  assert.ok(hasher.matches(alone.hash('CODE1'), hasher.candidates('CODE1')));
  assert.ok(!hasher.matches(alone.hash('CODE2'), hasher.candidates('CODE1')));
  assert.ok(!hasher.matches('abcd', hasher.candidates('CODE1')), 'a short stored value never matches');
});

test('issue12: a code expiry is a duration, a future date or never; the past and nonsense are refused', () => {
  assert.deepEqual(parseCodeExpiry('7d', NOW), { ok: true, expiresAt: NOW.getTime() + 7 * 86_400_000 });
  assert.deepEqual(parseCodeExpiry('2026-12-31', NOW), { ok: true, expiresAt: Date.UTC(2026, 11, 31) });
  assert.deepEqual(parseCodeExpiry('Never', NOW), { ok: true, expiresAt: null });
  const past = parseCodeExpiry('2026-01-01', NOW);
  assert.ok(!past.ok && /is in the past: a code must expire in the future/.test(past.error));
  const nonsense = parseCodeExpiry('soon', NOW);
  assert.ok(!nonsense.ok && /not an expiry I understand/.test(nonsense.error));
  const empty = parseCodeExpiry(' ', NOW);
  assert.ok(!empty.ok && /Give when the code expires/.test(empty.error));
  const long = parseCodeExpiry('600w', NOW);
  assert.ok(!long.ok && /longer than 10 years/.test(long.error));
});

test('issue12: wrong codes block a member after the limit, until the window from the first one ends', () => {
  let now = 1_000;
  const attempts = new CodeAttempts({ maxFailures: 3, windowMs: 10_000, now: () => now });
  attempts.recordFailure('u1');
  attempts.recordFailure('u1');
  assert.equal(attempts.blockedUntil('u1'), null);
  now = 5_000;
  attempts.recordFailure('u1');
  assert.equal(attempts.blockedUntil('u1'), 11_000);
  assert.equal(attempts.blockedUntil('u2'), null, 'per member');
  now = 11_000;
  assert.equal(attempts.blockedUntil('u1'), null, 'the window ended');
  attempts.recordFailure('u1');
  assert.equal(attempts.blockedUntil('u1'), null, 'a new window starts');
});
