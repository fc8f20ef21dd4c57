import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RELATIVE_MS, isoSeconds, parseDuration } from '../../src/moderation/duration.js';

const NOW = new Date('2026-01-10T12:00:00.250Z');

function ok(input: string | undefined) {
  const result = parseDuration(input, NOW);
  assert.ok(result.ok, `expected "${input}" to parse: ${result.ok ? '' : result.error}`);
  return result.value;
}

function fails(input: string): string {
  const result = parseDuration(input, NOW);
  assert.ok(!result.ok, `expected "${input}" to be refused`);
  return result.error;
}

test('permanent is the default and has no expiration', () => {
  for (const input of [undefined, '', '  ', 'permanent', 'PERMANENT', 'forever']) {
    const value = ok(input);
    assert.equal(value.kind, 'permanent');
    assert.equal(value.expiration, null);
  }
});

test('relative durations count from now, in whole seconds rounded up', () => {
  assert.equal(ok('30m').expiration, '2026-01-10T12:30:01Z');
  assert.equal(ok('12h').expiration, '2026-01-11T00:00:01Z');
  assert.equal(ok('7d').expiration, '2026-01-17T12:00:01Z');
  assert.equal(ok('2w').expiration, '2026-01-24T12:00:01Z');
  assert.equal(ok('1 day').expiration, '2026-01-11T12:00:01Z');
  assert.equal(ok('3 Hours').label, '3 hours');
  assert.equal(ok('1w').label, '1 week');
  const exact = parseDuration('30m', new Date('2026-01-10T12:00:00.000Z'));
  assert.ok(exact.ok && exact.value.expiration === '2026-01-10T12:30:00Z');
});

test('ISO dates and times in the future become the expiration (UTC unless a zone is given)', () => {
  assert.equal(ok('2026-12-31').expiration, '2026-12-31T00:00:00Z');
  assert.equal(ok('2026-12-31T23:59:59Z').expiration, '2026-12-31T23:59:59Z');
  assert.equal(ok('2026-12-31T23:59').expiration, '2026-12-31T23:59:00Z');
  assert.equal(ok('2026-12-31 18:00').expiration, '2026-12-31T18:00:00Z');
  assert.equal(ok('2026-06-01T10:00:00+02:00').expiration, '2026-06-01T08:00:00Z');
  assert.equal(ok('2026-06-01T10:00:00.500Z').expiration, '2026-06-01T10:00:00.500Z');
  assert.equal(ok('2026-01-10T12:00:01Z').kind, 'until');
});

test('past dates, now, and impossible dates are refused with the allowed formats', () => {
  assert.match(fails('2025-12-31'), /in the past .*a ban must end in the future/);
  assert.match(fails('2026-01-10T12:00:00Z'), /in the past/);
  assert.match(fails('2026-02-30'), /no such date or time/);
  assert.match(fails('2026-13-01'), /no such date/);
  assert.match(fails('2026-01-11T24:00'), /no such date or time/);
  assert.match(fails('2026-06-01T10:00+15:00'), /no such time zone offset/);
});

test('anything else is refused, naming the accepted forms', () => {
  for (const input of ['soon', '7', 'd7', '7y', '-3d', '1.5h', '7d12h', 'tomorrow', '31/12/2026']) {
    assert.match(fails(input), /is not a duration I understand\. Use `30m`, `12h`, `7d`, `2w`/);
  }
  assert.match(fails('0m'), /is zero/);
  assert.match(fails('600w'), /longer than 10 years; use `permanent`/);
  assert.ok(MAX_RELATIVE_MS > 500 * 7 * 86_400_000);
});

test('isoSeconds drops milliseconds', () => {
  assert.equal(isoSeconds(new Date('2026-01-01T00:00:00.000Z')), '2026-01-01T00:00:00Z');
});
