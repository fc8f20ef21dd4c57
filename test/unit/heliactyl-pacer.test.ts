import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetExhaustedError, RequestPacer, type PacerOptions } from '../../src/heliactyl/pacer.js';

/** A pacer on a hand-driven clock: sleeping advances time and is recorded. */
function pacerOnFakeClock(options: Omit<PacerOptions, 'now' | 'sleep'>) {
  const clock = { now: 1_000_000, sleeps: [] as number[] };
  const pacer = new RequestPacer({
    ...options,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
  });
  return { pacer, clock };
}

async function acquireTimes(pacer: RequestPacer, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await pacer.acquire();
}

test('defaults to 240 requests per 10 minutes and a 2 s wait', () => {
  const pacer = new RequestPacer();
  assert.deepEqual(pacer.budget, { limit: 240, windowMs: 600_000 });
  assert.equal(pacer.maxWaitMs, 2_000);
  assert.equal(pacer.remaining(), 240);
});

test('counts its own sends and fails fast once the window is spent', async () => {
  const { pacer, clock } = pacerOnFakeClock({ budget: { limit: 3, windowMs: 60_000 }, maxWaitMs: 2_000 });
  await pacer.acquire();
  clock.now += 10_000;
  await acquireTimes(pacer, 2);
  assert.equal(pacer.remaining(), 0);

  const error = await pacer.acquire().then(
    () => assert.fail('acquire should have failed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof BudgetExhaustedError);
  // The first send leaves the window 60 s after it was made, 50 s from now.
  assert.equal(error.retryAfterMs, 50_000);
  assert.deepEqual(clock.sleeps, [], 'must not wait when the slot is too far away');
  assert.equal(pacer.remaining(), 0, 'a refused acquire must not take a slot');
});

test('the window slides: slots come back one by one as old sends age out', async () => {
  const { pacer, clock } = pacerOnFakeClock({ budget: { limit: 2, windowMs: 1_000 }, maxWaitMs: 0 });
  await pacer.acquire();
  clock.now += 400;
  await pacer.acquire();
  clock.now += 600; // the first send is now exactly one window old
  assert.equal(pacer.remaining(), 1);
  await pacer.acquire();
  await assert.rejects(
    pacer.acquire(),
    (e: unknown) => e instanceof BudgetExhaustedError && e.retryAfterMs === 400,
  );
});

test('waits for a slot that frees within maxWaitMs, then takes it', async () => {
  const { pacer, clock } = pacerOnFakeClock({ budget: { limit: 1, windowMs: 1_500 }, maxWaitMs: 2_000 });
  await pacer.acquire();
  clock.now += 500;
  await pacer.acquire();
  assert.deepEqual(clock.sleeps, [1_000]);
  assert.equal(pacer.remaining(), 0);
});

test('learns the dashboard count from RateLimit-Remaining and RateLimit-Reset', async () => {
  const { pacer, clock } = pacerOnFakeClock({ budget: { limit: 240, windowMs: 600_000 }, maxWaitMs: 0 });
  pacer.observe({ 'ratelimit-remaining': '2', 'ratelimit-reset': '300' });
  assert.equal(pacer.remaining(), 2, 'another client on the same IP spent the rest');
  await acquireTimes(pacer, 2);
  assert.equal(pacer.remaining(), 0);
  await assert.rejects(
    pacer.acquire(),
    (e: unknown) => e instanceof BudgetExhaustedError && e.retryAfterMs === 300_000,
  );

  clock.now += 300_000; // the dashboard's window resets
  assert.equal(pacer.remaining(), 238, 'back to the local count once the dashboard window is over');
  await pacer.acquire();
});

test('ignores missing or garbled rate-limit headers', () => {
  const { pacer } = pacerOnFakeClock({ budget: { limit: 5, windowMs: 1_000 } });
  pacer.observe({});
  pacer.observe({ 'ratelimit-remaining': 'lots', 'ratelimit-reset': '10' });
  assert.equal(pacer.remaining(), 5);
});

test('a 429 blocks everything until Retry-After has passed', async () => {
  const { pacer, clock } = pacerOnFakeClock({ budget: { limit: 240, windowMs: 600_000 }, maxWaitMs: 2_000 });
  pacer.block(180_000);
  assert.equal(pacer.remaining(), 0);
  await assert.rejects(
    pacer.acquire(),
    (e: unknown) => e instanceof BudgetExhaustedError && e.retryAfterMs === 180_000,
  );
  clock.now += 179_000;
  await pacer.acquire(); // 1 s left: within maxWaitMs, so it waits
  assert.deepEqual(clock.sleeps, [1_000]);
});

test('concurrent callers each get their own slot (real timers)', async () => {
  const pacer = new RequestPacer({ budget: { limit: 1, windowMs: 60 }, maxWaitMs: 1_000 });
  const started = Date.now();
  const finished: number[] = [];
  await Promise.all([0, 1, 2].map(() => pacer.acquire().then(() => finished.push(Date.now() - started))));
  finished.sort((a, b) => a - b);
  assert.ok((finished[1] ?? 0) >= 55, `second caller waited for the first slot to free (${finished[1]} ms)`);
  assert.ok((finished[2] ?? 0) >= 115, `third caller waited for the second slot (${finished[2]} ms)`);
});
