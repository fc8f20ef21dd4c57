import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleCost, watchCost } from '../../src/watch/cost.js';
import { describeInterval, parseShortDuration } from '../../src/watch/duration.js';
import { warningLine } from '../../src/watch/scheduler.js';
import { isAlertTransition } from '../../src/watch/alerts.js';

test('the cost of a watch per day: one check per interval and one due-date read', () => {
  assert.deepEqual(watchCost(5 * 60_000), { checksPerDay: 288, perDay: 289, percent: 12 });
  assert.deepEqual(watchCost(60_000), { checksPerDay: 1440, perDay: 1441, percent: 58 });
  assert.deepEqual(watchCost(7 * 60_000, 5000), { checksPerDay: 206, perDay: 207, percent: 4 });
  assert.equal(scheduleCost(true), 5);
  assert.equal(scheduleCost(false), 1);
});

test('short durations: accepted forms, rejected ones, and how they read', () => {
  assert.equal(parseShortDuration('5m'), 300_000);
  assert.equal(parseShortDuration(' 1h30m '), 5_400_000);
  assert.equal(parseShortDuration('90S'), 90_000);
  for (const bad of ['', '5', 'm', '5 minutes', '-5m', '1.5h', `${'1m'.repeat(30)}`]) {
    assert.equal(parseShortDuration(bad), undefined, bad);
  }
  assert.equal(describeInterval(300_000), '5 min');
  assert.equal(describeInterval(5_400_000), '1 h 30 min');
});

test('console warnings and which transitions alert', () => {
  assert.equal(warningLine('restart', 600_000), 'say Server restarting in 10 minutes');
  assert.equal(warningLine('stop', 60_000), 'say Server stopping in 1 minute');
  assert.equal(warningLine('kill', 10_000), 'say Server stopping in 10 seconds');
  assert.ok(isAlertTransition('running', 'offline'));
  assert.ok(isAlertTransition('running', 'crashed'));
  assert.ok(isAlertTransition('crashed', 'running'));
  assert.ok(!isAlertTransition('offline', 'crashed'));
  assert.ok(!isAlertTransition('running', 'running'));
});
