import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EditScheduler } from '../../src/console/scheduler.js';
import { ManualClock } from '../helpers/manual-clock.js';

interface Sent {
  at: number;
  payload: string;
  finish: (error?: Error) => void;
}

/** A scheduler over a fake clock whose sends the test completes by hand (or at once). */
function setup(options: { intervalMs?: number; autoComplete?: number | false } = {}) {
  const clock = new ManualClock();
  const sent: Sent[] = [];
  let state = 'v0';
  const auto = options.autoComplete ?? 10;
  const scheduler = new EditScheduler<{ text: string }>({
    intervalMs: options.intervalMs ?? 1000,
    clock,
    render: () => ({ text: state }),
    send: (payload) =>
      new Promise<void>((resolve, reject) => {
        const entry: Sent = {
          at: clock.now(),
          payload: payload.text,
          finish: (error) => (error ? reject(error) : resolve()),
        };
        sent.push(entry);
        if (auto !== false) clock.setTimeout(() => entry.finish(), auto);
      }),
  });
  return {
    clock,
    sent,
    scheduler,
    set: (value: string) => {
      state = value;
      scheduler.markDirty();
    },
  };
}

describe('console edit scheduler', () => {
  test('the first change is sent at once; later ones wait for the interval after the previous edit ends', async () => {
    const { clock, sent, set } = setup();
    set('a');
    await clock.advance(0);
    assert.deepEqual(
      sent.map((s) => [s.at, s.payload]),
      [[0, 'a']],
    );
    await clock.advance(10); // the edit completes at t=10
    set('b');
    await clock.advance(500);
    assert.equal(sent.length, 1, 'not before the interval');
    await clock.advance(600);
    assert.deepEqual(
      sent.map((s) => [s.at, s.payload]),
      [
        [0, 'a'],
        [1010, 'b'],
      ],
    );
  });

  test('a burst is coalesced: latest content wins, one edit per interval', async () => {
    const { clock, sent, set } = setup();
    for (let i = 0; i < 1000; i++) {
      set(`line ${i}`);
      await clock.advance(3); // 1000 changes over 3 s
    }
    await clock.advance(2000);
    assert.ok(sent.length <= 5, `${sent.length} edits for 1000 changes in 3 s`);
    assert.equal(sent.at(-1)!.payload, 'line 999', 'the final state is shown');
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.at - sent[i - 1]!.at >= 1000);
  });

  test('one edit in flight at a time; changes during it go out in the next edit', async () => {
    const { clock, sent, set } = setup({ autoComplete: false });
    set('a');
    await clock.advance(0);
    set('b');
    set('c');
    await clock.advance(900);
    assert.equal(sent.length, 1, 'nothing else while the first edit is in flight');
    sent[0]!.finish(); // done at t=900 (not slow)
    await clock.advance(999);
    assert.equal(sent.length, 1);
    await clock.advance(1);
    assert.deepEqual(
      sent.map((s) => s.payload),
      ['a', 'c'],
    );
  });

  test('nothing is sent when the payload did not change', async () => {
    const { clock, sent, set, scheduler } = setup();
    set('a');
    await clock.advance(2000);
    set('a');
    await clock.advance(2000);
    scheduler.markDirty();
    await clock.advance(2000);
    assert.equal(sent.length, 1);
    assert.equal(scheduler.stats.skippedUnchanged, 2);
  });

  test('an exhausted bucket delays the next edit until the reset, without slowing later ones', async () => {
    const { clock, sent, set, scheduler } = setup();
    set('a');
    await clock.advance(10);
    scheduler.bucketExhausted(4000);
    set('b');
    await clock.advance(3000);
    assert.equal(sent.length, 1, 'waits for the reset');
    await clock.advance(1100);
    assert.equal(sent.length, 2);
    assert.ok(sent[1]!.at >= 4010, String(sent[1]!.at));
    assert.equal(scheduler.multiplier, 1);
  });

  test('a 429 waits retry-after and doubles the interval, which decays after clean edits', async () => {
    const { clock, sent, set, scheduler } = setup();
    set('a');
    await clock.advance(10);
    scheduler.rateLimited(3000);
    assert.equal(scheduler.multiplier, 2);
    set('b');
    await clock.advance(2900);
    assert.equal(sent.length, 1);
    await clock.advance(200);
    assert.equal(sent.length, 2, 'sent after retry-after');
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) {
      set(`c${i}`);
      const before = sent.length;
      while (sent.length === before) await clock.advance(50);
      gaps.push(sent.at(-1)!.at - sent.at(-2)!.at);
    }
    assert.ok(gaps[0]! >= 2000, `slowed down: ${gaps.join(', ')}`);
    assert.equal(scheduler.multiplier, 1, 'back to normal after clean edits');
    assert.ok(gaps.at(-1)! < 1100, `recovered: ${gaps.join(', ')}`);
  });

  test('an edit that returns late slows the scheduler down', async () => {
    const { clock, sent, set, scheduler } = setup({ autoComplete: false });
    set('a');
    await clock.advance(0);
    await clock.advance(1500);
    sent[0]!.finish();
    await clock.advance(0);
    assert.equal(scheduler.multiplier, 2);
  });

  test('finish() sends the latest state under the same rules, then stops', async () => {
    const { clock, sent, set, scheduler } = setup();
    set('a');
    await clock.advance(10);
    set('b');
    let done = false;
    const finishing = scheduler.finish().then(() => (done = true));
    await clock.advance(500);
    assert.equal(done, false, 'the interval still applies');
    await clock.advance(600);
    await finishing;
    assert.deepEqual(
      sent.map((s) => s.payload),
      ['a', 'b'],
    );
    set('c');
    await clock.advance(5000);
    assert.equal(sent.length, 2, 'stopped');
  });

  test("a failed send is retried with the latest state; 'stop' ends the scheduler", async () => {
    const clock = new ManualClock();
    let fail = true;
    let calls = 0;
    let verdict: 'retry' | 'stop' = 'retry';
    const scheduler = new EditScheduler<{ n: number }>({
      intervalMs: 100,
      clock,
      render: () => ({ n: calls }),
      send: () => {
        calls += 1;
        return fail ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      onError: () => verdict,
    });
    scheduler.markDirty();
    await clock.advance(0);
    assert.equal(calls, 1);
    fail = false;
    await clock.advance(150);
    assert.equal(calls, 2, 'retried after the interval');
    fail = true;
    verdict = 'stop';
    scheduler.markDirty();
    await clock.advance(150);
    assert.equal(calls, 3);
    assert.equal(scheduler.stopped, true);
    scheduler.markDirty();
    await clock.advance(1000);
    assert.equal(calls, 3);
  });
});
