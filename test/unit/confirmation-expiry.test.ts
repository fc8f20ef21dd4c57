import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmationStore } from '../../src/bot/confirmations.js';
import { InteractionState } from '../../src/state/store.js';
import { ManualClock } from '../helpers/manual-clock.js';

const question = { invokerId: '1', kind: 'ban', payload: {}, embed: { title: 'Ban?' } };

test('a question expires exactly at its time on the clock; an answered one never does', async () => {
  const clock = new ManualClock();
  const store = new ConfirmationStore(new InteractionState(clock), 60_000);
  const expired: string[] = [];
  const asked = store.add(question, () => (expired.push('asked'), Promise.resolve()));
  const answered = store.add(question, () => (expired.push('answered'), Promise.resolve()));
  assert.ok(store.take(answered));
  await clock.advance(59_999);
  assert.ok(store.peek(asked), 'still open a moment before');
  assert.deepEqual(expired, []);
  await clock.advance(1);
  assert.equal(store.peek(asked), undefined);
  assert.deepEqual(expired, ['asked']);
  assert.equal(clock.pending, 0, 'no timer left behind');
});
