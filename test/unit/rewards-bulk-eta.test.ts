import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEta, estimateDrainMs, grantsWithin } from '../../src/rewards/bulk/eta.js';

const WINDOW = 600_000;

test('the worker starts a grant only with 3 slots plus the 5 for moderators free; each grant takes about 2 requests', () => {
  assert.equal(grantsWithin(7), 0);
  assert.equal(grantsWithin(8), 1);
  assert.equal(grantsWithin(10), 2);
  assert.equal(grantsWithin(240), 117);
});

test('grants the current window covers go at the observed rate', () => {
  const outlook = { remaining: 240, perWindow: 240, windowMs: WINDOW, resetInMs: 0 };
  assert.equal(estimateDrainMs(100, outlook, 300), 30_000);
  assert.equal(estimateDrainMs(0, outlook, 300), 0);
});

test('the rest waits for the window to reset, then for as many windows as it needs', () => {
  // 20 slots left: 7 grants now; 100 - 7 = 93 wait for the reset, all within the next window (117).
  const outlook = { remaining: 20, perWindow: 240, windowMs: WINDOW, resetInMs: 120_000 };
  assert.equal(estimateDrainMs(100, outlook, 300), 120_000 + 93 * 300);
  // Spent and 300 to go: after the reset, two full windows of 117 and 66 in a third.
  const spent = { remaining: 0, perWindow: 240, windowMs: WINDOW, resetInMs: 60_000 };
  assert.equal(estimateDrainMs(300, spent, 300), 60_000 + 2 * WINDOW + 66 * 300);
});

test('ETAs read in minutes and hours', () => {
  assert.equal(describeEta(59_000), 'under a minute');
  assert.equal(describeEta(61_000), 'about 2 min');
  assert.equal(describeEta(3 * 3_600_000), 'about 3 h');
  assert.equal(describeEta(3 * 3_600_000 + 600_000), 'about 3 h 10 min');
});
