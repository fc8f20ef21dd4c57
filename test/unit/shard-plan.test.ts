import { test } from 'node:test';
import assert from 'node:assert/strict';
import { respawnDelay } from '../../src/sharding/supervisor.js';
import { shardPlan } from '../../src/sharding/manager.js';

test('issue13 item 7: a dead shard waits 1 s, then twice as long while it keeps dying, at most 30 s', () => {
  const waits: number[] = [];
  let last: number | undefined;
  for (let death = 0; death < 7; death += 1) waits.push((last = respawnDelay(last)));
  assert.deepEqual(waits, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
});

test("issue13 item 7: the shard plan takes Discord's count for auto, and every shard unless SHARD_IDS names some", () => {
  assert.deepEqual(shardPlan({ SHARD_COUNT: 'auto', SHARD_IDS: undefined }, 3), {
    totalShards: 3,
    shardIds: [0, 1, 2],
  });
  assert.deepEqual(shardPlan({ SHARD_COUNT: 4, SHARD_IDS: [3, 1] }, 1), { totalShards: 4, shardIds: [3, 1] });
  assert.deepEqual(shardPlan({ SHARD_COUNT: 2, SHARD_IDS: undefined }, 7), {
    totalShards: 2,
    shardIds: [0, 1],
  });
});
