import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AfterAckLane } from '../../src/bot/after-ack.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('issue12 item 16: follow-up work waits while interactions keep arriving, then runs in arrival order', async () => {
  let now = 0;
  const lane = new AfterAckLane({ now: () => now, quietMs: 10, maxWaitMs: 2_000 });
  const ran: string[] = [];
  lane.interactionArrived();
  const first = lane.afterAck().then(() => ran.push('first'));
  const second = lane.afterAck().then(() => ran.push('second'));
  // A rush: an interaction on each of the next 30 turns of the event loop, 1 ms apart.
  for (let turn = 0; turn < 30; turn += 1) {
    await nextTurn();
    now += 1;
    lane.interactionArrived();
  }
  assert.deepEqual(ran, [], 'nothing ran while interactions kept arriving');
  now += 10; // the rush is over
  await Promise.all([first, second]);
  assert.deepEqual(ran, ['first', 'second']);
});

test('issue12 item 16: follow-up work that waited the longest allowed runs even while a rush lasts', async () => {
  let now = 0;
  const lane = new AfterAckLane({ now: () => now, quietMs: 10, maxWaitMs: 2_000 });
  let ran = false;
  lane.interactionArrived();
  const work = lane.afterAck().then(() => (ran = true));
  for (let turn = 0; turn < 5; turn += 1) {
    await nextTurn();
    now += 1;
    lane.interactionArrived();
  }
  assert.equal(ran, false);
  now += 2_000;
  lane.interactionArrived();
  await work;
  assert.equal(ran, true);
});

test('issue12 item 16: the lane tells how long it has been since the last interaction arrived', () => {
  let now = 1_000;
  const lane = new AfterAckLane({ now: () => now, quietMs: 10, maxWaitMs: 2_000 });
  assert.equal(lane.quietForMs(), Number.POSITIVE_INFINITY, 'none yet');
  lane.interactionArrived();
  now += 40;
  assert.equal(lane.quietForMs(), 40);
  lane.interactionArrived();
  assert.equal(lane.quietForMs(), 0);
});
