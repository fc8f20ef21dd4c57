import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetExhaustedError, RequestPacer, type PacerOptions } from '../../src/heliactyl/pacer.js';
import type { Clock } from '../../src/clock.js';
import { IpRateLimiter } from '../fakes/heliactyl/rate-limit.js';

/** A Clock whose timers wake through `advance`, which moves the time the test reads (no real waiting). */
function clockOf(now: () => number, advance: (ms: number) => Promise<void>): Clock {
  return {
    now,
    wallNow: now,
    setTimeout: (callback, ms) => void advance(ms).then(callback),
    clearTimeout: () => undefined,
  };
}

/** A pacer on a hand-driven clock: sleeping advances time and is recorded. */
function pacerOnFakeClock(options: Omit<PacerOptions, 'clock'>) {
  const clock = { now: 1_000_000, sleeps: [] as number[] };
  const pacer = new RequestPacer({
    ...options,
    clock: clockOf(
      () => clock.now,
      async (ms) => {
        clock.sleeps.push(ms);
        clock.now += ms;
      },
    ),
  });
  return { pacer, clock };
}

const NO_MARGIN = { share: 0, rate: 0, ms: 0 };

/** Headers as the dashboard sends them. */
function rateHeaders(remaining: number, resetSeconds: number, limit = 250): Record<string, string> {
  return {
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(resetSeconds),
  };
}

async function sendAnswered(pacer: RequestPacer, n: number, headers: Record<string, string> = {}) {
  for (let i = 0; i < n; i += 1) {
    await pacer.acquire();
    pacer.observe(headers);
  }
}

test("defaults to the dashboard's 250 per 10 minutes, keeping 10 requests and 13 s of margin, and a 2 s wait", () => {
  const pacer = new RequestPacer();
  assert.deepEqual(pacer.budget, { limit: 250, windowMs: 600_000 });
  assert.deepEqual(pacer.margin, { share: 0.04, rate: 0.02, ms: 1_000 });
  assert.equal(pacer.cap, 240);
  assert.equal(pacer.maxWaitMs, 2_000);
  assert.equal(pacer.remaining(), 240);
});

test('the window is fixed from the first request: spent, it frees all at once when it ends (plus the margin)', async () => {
  const { pacer, clock } = pacerOnFakeClock({
    budget: { limit: 3, windowMs: 60_000 },
    margin: { share: 0, rate: 0.02, ms: 1_000 },
    maxWaitMs: 2_000,
  });
  await pacer.acquire();
  pacer.abandon(); // no answer: it may have been counted, so it stays counted
  clock.now += 10_000;
  await pacer.acquire();
  pacer.observe({ 'content-type': 'text/html' }); // an answer without RateLimit headers was not counted
  await pacer.acquire();
  await pacer.acquire();
  assert.equal(pacer.remaining(), 0);

  const error = await pacer.acquire().then(
    () => assert.fail('acquire should have failed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof BudgetExhaustedError);
  // 60 s × 1.02 + 1 s from the first send, 10 s ago.
  assert.equal(error.retryAfterMs, 52_200);
  assert.deepEqual(clock.sleeps, [], 'must not wait when the slot is too far away');

  clock.now += 52_199;
  assert.equal(pacer.remaining(), 0, 'no slot comes back one by one: the window is fixed');
  clock.now += 1;
  assert.equal(pacer.remaining(), 3);
});

test("the dashboard's count and window replace the bot's own", async () => {
  const { pacer, clock } = pacerOnFakeClock({ budget: { limit: 250, windowMs: 600_000 }, maxWaitMs: 0 });
  await pacer.acquire();
  pacer.observe(rateHeaders(12, 300)); // other software on the same IP spent the rest
  assert.equal(pacer.remaining(), 2, '238 used, 240 allowed');
  for (let i = 0; i < 2; i += 1) {
    await pacer.acquire();
    pacer.abandon();
  }
  await assert.rejects(
    pacer.acquire(),
    // 300 s × 1.02 + 1 s after the dashboard spoke.
    (e: unknown) => e instanceof BudgetExhaustedError && e.retryAfterMs === 307_000,
  );
  clock.now += 307_000;
  assert.equal(pacer.remaining(), 240, 'a new window');
});

test('ignores missing or garbled rate-limit headers (such an answer was not counted)', async () => {
  const { pacer } = pacerOnFakeClock({ budget: { limit: 5, windowMs: 1_000 }, margin: NO_MARGIN });
  await pacer.acquire();
  pacer.observe({ 'ratelimit-remaining': 'lots', 'ratelimit-reset': '10' });
  assert.equal(pacer.remaining(), 5);
});

test('a 429 blocks everything until Retry-After has passed (stretched by the margin)', async () => {
  const { pacer, clock } = pacerOnFakeClock({ budget: { limit: 250, windowMs: 600_000 }, maxWaitMs: 2_000 });
  pacer.block(180_000);
  assert.equal(pacer.remaining(), 0);
  await assert.rejects(
    pacer.acquire(),
    (e: unknown) => e instanceof BudgetExhaustedError && e.retryAfterMs === 184_600,
  );
  clock.now += 183_600;
  await pacer.acquire(); // 1 s left: within maxWaitMs, so it waits
  assert.deepEqual(clock.sleeps, [1_000]);
});

test('concurrent callers each get their own slot', async () => {
  // Sleepers wake in parallel, as timers do: each at its own time, never before.
  let now = 0;
  const pacer = new RequestPacer({
    budget: { limit: 1, windowMs: 1_000 },
    margin: NO_MARGIN,
    maxWaitMs: 5_000,
    clock: clockOf(
      () => now,
      async (ms) => {
        const wake = now + ms;
        await new Promise((resolve) => setImmediate(resolve));
        now = Math.max(now, wake);
      },
    ),
  });
  const taken: number[] = [];
  await Promise.all(
    [0, 1, 2].map(() =>
      pacer.acquire().then(() => {
        taken.push(now);
        pacer.abandon();
      }),
    ),
  );
  assert.deepEqual(taken, [0, 1_000, 2_000], 'one slot per window, in turn');
});

/**
 * The bot paced against the fake dashboard's own limiter (fixed window from
 * the first request, 250 per 10 min), with the two clocks running at
 * different rates and 50 ms of latency each way. `others` requests from other
 * software on the same IP open the dashboard's window before the bot starts.
 */
async function drive(botClockRate: number, requests: number, others: number) {
  let real = 0;
  const limiter = new IpRateLimiter({ limit: 250, windowMs: 600_000 }, () => real);
  for (let i = 0; i < others; i += 1) limiter.count('10.0.0.7');
  const pacer = new RequestPacer({
    maxWaitMs: Number.POSITIVE_INFINITY,
    clock: clockOf(
      () => real * botClockRate,
      async (ms) => {
        real += ms / botClockRate;
      },
    ),
  });
  let refused = 0;
  for (let i = 0; i < requests; i += 1) {
    await pacer.acquire();
    real += 50;
    const decision = limiter.count('10.0.0.7');
    if (!decision.allowed) refused += 1;
    real += 50;
    pacer.observe(rateHeaders(decision.remaining, decision.resetSeconds));
    if (!decision.allowed) pacer.block(decision.resetSeconds * 1000);
  }
  return { refused, realSeconds: real / 1000 };
}

test('issue11 item 7: the pacer never meets a 429 from a fixed-window dashboard whose clock runs at another rate', async () => {
  for (const rate of [1.015, 1, 0.985]) {
    for (const others of [0, 245]) {
      const { refused, realSeconds } = await drive(rate, 1_000, others);
      const label = `bot clock ×${rate}, ${others} requests from others first`;
      assert.equal(refused, 0, `${label}: requests refused by the dashboard`);
      // 240 per window: the margin costs seconds per window, never a whole window.
      const windows = Math.ceil((1_000 + others) / 240);
      assert.ok(realSeconds < windows * 620, `${label}: ${realSeconds} s`);
    }
  }
});

test('issue11 item 7: answers without RateLimit headers (the 400 and 413 pages) are not counted; unanswered requests are', async () => {
  const { pacer } = pacerOnFakeClock({ budget: { limit: 10, windowMs: 60_000 }, margin: NO_MARGIN });
  await sendAnswered(pacer, 4, { 'content-type': 'text/html; charset=utf-8' });
  assert.equal(pacer.remaining(), 10);
  await pacer.acquire();
  pacer.abandon();
  assert.equal(pacer.remaining(), 9);
});
