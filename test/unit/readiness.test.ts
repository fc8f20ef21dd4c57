import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readiness } from '../../src/bot/readiness.js';

test('issue10 item 6: readiness follows each shard and reports each loss and return once', () => {
  let now = 1_000;
  const readiness = new Readiness(() => now);
  let changes = 0;
  readiness.onChange(() => (changes += 1));
  assert.equal(readiness.discordConnected, false, 'not ready before the first connection');

  assert.deepEqual(readiness.connected(0), { kind: 'unchanged' }, 'the first connection is no "return"');
  assert.equal(readiness.discordConnected, true);

  now = 2_000;
  assert.deepEqual(readiness.disconnected(0, 4000), { kind: 'lost', shardId: 0 });
  assert.deepEqual(readiness.disconnected(0), { kind: 'unchanged' }, 'a second attempt is not a new loss');
  assert.equal(readiness.discordConnected, false);
  assert.equal(readiness.shard(0)?.lastCloseCode, 4000);

  now = 3_500;
  assert.deepEqual(readiness.connected(0), { kind: 'back', shardId: 0, downForMs: 1_500 });
  assert.deepEqual(readiness.connected(0), { kind: 'unchanged' });
  assert.equal(readiness.discordConnected, true);
  assert.equal(changes, 3, 'listeners hear transitions only');
});

test('issue10 item 6: with several shards, one down means not connected', () => {
  const readiness = new Readiness(() => 0);
  readiness.connected(0);
  readiness.connected(1);
  readiness.disconnected(1);
  assert.equal(readiness.discordConnected, false);
  assert.deepEqual(
    readiness.snapshot().map((s) => [s.shardId, s.connected]),
    [
      [0, true],
      [1, false],
    ],
  );
});
