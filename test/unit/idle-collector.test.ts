import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleCollector, startIdleCollector } from '../../src/bot/idle-collector.js';
import { createLogger } from '../../src/logger.js';
import { captureLogs } from '../helpers/log-capture.js';

const MIB = 1024 * 1024;

/** A heap and an interaction clock the test sets; `collect` empties the heap down to `live`. */
function rig(options: { live: number }) {
  const state = { used: options.live, quietFor: 0, collections: 0 };
  const collector = new IdleCollector(
    {
      quietForMs: () => state.quietFor,
      heapUsed: () => state.used,
      collect: () => {
        state.collections += 1;
        state.used = options.live;
      },
    },
    { quietMs: 100, growthBytes: 16 * MIB },
  );
  return { state, collector };
}

test('issue12 item 16: no collection while interactions keep arriving, however much the heap grew', () => {
  const { state, collector } = rig({ live: 30 * MIB });
  state.used = 90 * MIB;
  for (const quietFor of [0, 1, 40, 99]) {
    state.quietFor = quietFor;
    assert.equal(collector.check(), undefined);
  }
  assert.equal(state.collections, 0);
});

test('issue12 item 16: once quiet, a heap grown by 16 MiB is collected once, then not again until it grows again', () => {
  const { state, collector } = rig({ live: 30 * MIB });
  state.quietFor = 100;
  state.used = 45 * MIB; // grown by 15 MiB: not worth a pause
  assert.equal(collector.check(), undefined);
  state.used = 46 * MIB;
  assert.deepEqual(collector.check(), { before: 46 * MIB, after: 30 * MIB });
  assert.equal(state.collections, 1);
  state.used = 40 * MIB;
  assert.equal(collector.check(), undefined, 'measured from the heap after the collection');
  state.used = 47 * MIB;
  assert.deepEqual(collector.check(), { before: 47 * MIB, after: 30 * MIB });
  assert.equal(state.collections, 2);
});

test('issue12 item 16: after V8 collected by itself, growth is counted from the smaller heap', () => {
  const { state, collector } = rig({ live: 40 * MIB });
  state.quietFor = 500;
  state.used = 25 * MIB; // V8 collected on its own meanwhile
  assert.equal(collector.check(), undefined);
  state.used = 42 * MIB; // 17 MiB above 25, though only 2 above where the collector started
  assert.deepEqual(collector.check(), { before: 42 * MIB, after: 40 * MIB });
});

test('issue12 item 16: without --expose-gc nothing runs; with it, the checks collect at a quiet moment and log it at debug', () => {
  const logs = captureLogs();
  const logger = createLogger({ level: 'debug', destination: logs.stream });
  let scheduled = 0;
  const every = (): (() => void) => {
    scheduled += 1;
    return () => undefined;
  };
  assert.equal(startIdleCollector({ quietForMs: () => 1_000, logger, every }), undefined);
  assert.equal(
    startIdleCollector({ quietForMs: () => 1_000, logger, every, gc: 'not a function' }),
    undefined,
  );
  assert.equal(scheduled, 0, 'no timer without a gc function');

  let check: (() => void) | undefined;
  let intervalMs = 0;
  let stopped = false;
  let collections = 0;
  let garbage: number[][] | undefined;
  let quietFor = 0;
  const stop = startIdleCollector({
    quietForMs: () => quietFor,
    logger,
    gc: () => {
      collections += 1;
      garbage = undefined;
    },
    every: (run, ms) => {
      check = run;
      intervalMs = ms;
      return () => (stopped = true);
    },
  });
  assert.ok(stop && check);
  assert.equal(intervalMs, 250);
  // 32 MiB of live arrays on the real heap: grown enough to collect.
  garbage = Array.from({ length: 32 }, () => new Array<number>(128 * 1024).fill(1.5));
  check();
  assert.equal(collections, 0, 'an interaction arrived just now');
  quietFor = 150;
  check();
  assert.equal(collections, 1);
  assert.equal(garbage, undefined);
  const line = logs.lines().find((entry) => entry.msg === 'Full garbage collection at a quiet moment');
  assert.equal(line?.level, 20);
  assert.ok(
    Number(line?.heapBeforeMiB) >= 32,
    `the logged heap holds the 32 MiB allocated: ${JSON.stringify(line)}`,
  );
  stop();
  assert.equal(stopped, true);
});
