import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gateRefusal, snowflakeTime } from '../../src/rewards/gates.js';

const DAY = 86_400_000;
/** A snowflake minted at `ms` (ms since the epoch). */
const idAt = (ms: number): string => String((BigInt(ms) - 1_420_070_400_000n) << 22n);

test('a snowflake carries its creation time', () => {
  assert.equal(snowflakeTime('175928847299117063'), 1_462_015_105_796);
  assert.equal(snowflakeTime(idAt(1_700_000_000_000)), 1_700_000_000_000);
});

test('gates: off, account too young, member too young, join date unknown, old enough', () => {
  const now = 1_800_000_000_000;
  const young = { userId: idAt(now - 2 * DAY), joinedAt: now - 30 * DAY };
  assert.equal(gateRefusal({ accountAgeMs: 0, memberAgeMs: 0 }, young, now), null);

  const account = gateRefusal({ accountAgeMs: 7 * DAY, memberAgeMs: 0 }, young, now);
  assert.match(account ?? '', /account must be at least 7 d old/);
  assert.ok(account?.includes(`<t:${Math.floor((now + 5 * DAY) / 1000)}:R>`), account ?? '');

  const fresh = { userId: idAt(now - 400 * DAY), joinedAt: now - DAY };
  const member = gateRefusal({ accountAgeMs: 7 * DAY, memberAgeMs: 3 * DAY }, fresh, now);
  assert.match(member ?? '', /member of this server for 3 d/);
  assert.ok(member?.includes(`<t:${Math.floor((now + 2 * DAY) / 1000)}:R>`), member ?? '');

  assert.match(
    gateRefusal({ accountAgeMs: 0, memberAgeMs: DAY }, { ...fresh, joinedAt: null }, now) ?? '',
    /only be earned inside the server/,
  );
  assert.equal(
    gateRefusal({ accountAgeMs: 7 * DAY, memberAgeMs: DAY }, { ...fresh, joinedAt: now - 2 * DAY }, now),
    null,
  );
});
