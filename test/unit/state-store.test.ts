import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InteractionState } from '../../src/state/store.js';
import { ConfirmationStore } from '../../src/bot/confirmations.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** The one interaction state store: TTL on the Clock, a size bound, owners, cleared on stop. */

test('state expires on the clock: there until its TTL, then unknown', async () => {
  const clock = new ManualClock();
  const state = new InteractionState(clock);
  const key = state.put('form', { path: '/a' }, { ttlMs: 1000 });
  await clock.advance(999);
  assert.deepEqual(state.get('form', key), { path: '/a' });
  await clock.advance(2);
  assert.equal(state.get('form', key), undefined);
  assert.equal(state.get('other', key), undefined, 'a key belongs to its name');
});

test('the expiry callback fires once on the clock, never after a take or a clear', async () => {
  const clock = new ManualClock();
  const state = new InteractionState(clock);
  const fired: string[] = [];
  state.put('q', 1, { ttlMs: 500, onExpire: () => fired.push('expired') });
  const taken = state.put('q', 2, { ttlMs: 500, onExpire: () => fired.push('taken') });
  state.put('q', 3, { ttlMs: 800, onExpire: () => fired.push('cleared') });
  assert.equal(state.take('q', taken), 2);
  await clock.advance(600);
  assert.deepEqual(fired, ['expired']);
  state.clear();
  assert.equal(state.size, 0);
  assert.equal(clock.pending, 0, 'no timer left behind');
  await clock.advance(1000);
  assert.deepEqual(fired, ['expired']);
});

test('the store is bounded: the least recently used entry goes first', () => {
  const state = new InteractionState(new ManualClock(), 3);
  const keys = [1, 2, 3, 4].map((n) => state.put('p', n));
  assert.equal(state.size, 3);
  assert.equal(state.get('p', keys[0]!), undefined);
  assert.equal(state.get('p', keys[3]!), 4);
});

test("an owned entry is only taken by its owner; someone else's attempt leaves it in place", () => {
  const state = new InteractionState(new ManualClock());
  const key = state.put('form', 'x', { ownerId: 'alice' });
  assert.equal(state.take('form', key, 'mallory'), undefined);
  assert.equal(state.take('form', key, 'alice'), 'x');
  assert.equal(state.take('form', key, 'alice'), undefined, 'taken once');
});

test('confirmations live in the store and expire on its clock', async () => {
  const clock = new ManualClock();
  const state = new InteractionState(clock);
  const confirmations = new ConfirmationStore(state, 60_000);
  let expired = 0;
  const id = confirmations.add({ invokerId: 'a', kind: 'ban', payload: {}, embed: {} }, async () => {
    expired += 1;
  });
  assert.equal(state.size, 1);
  await clock.advance(59_999);
  assert.ok(confirmations.peek(id));
  await clock.advance(1);
  assert.equal(confirmations.peek(id), undefined);
  assert.equal(expired, 1);
});
