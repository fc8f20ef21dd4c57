/**
 * Rewards: exactly-once under duplicates, and the drain rate under the
 * dashboard's budget.
 *
 *   npm run bench -- rewards [--members 1000] [--webhooks 500]
 *
 * Part 1 (real clock, SQLite store, real HTTP): `members` /claim-equivalent
 * ledger enqueues spread over one second with 5 % double clicks, plus
 * `webhooks` dbl vote deliveries over HTTP where every vote arrives twice.
 * Counts the addcoins the fake dashboard received against what a naive bot
 * (one addcoins per click or delivery) would send, and the enqueue latency
 * (the part of a /claim ack the ledger adds).
 *
 * Part 2 (fake clock): 1,000 queued grants drained against a fake dashboard
 * limited to 250 requests per 10 min; requests per window against the
 * pacer's own budget (target: within 5 %).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { pino } from 'pino';
import { FakeHeliactyl } from '../test/fakes/heliactyl.js';
import { openStore } from '../src/store/database.js';
import { Rewards } from '../src/rewards/rewards.js';
import { HeliactylClient } from '../src/heliactyl/client.js';
import { RequestPacer } from '../src/heliactyl/pacer.js';
import { Metrics } from '../src/server/metrics.js';
import { Readiness } from '../src/bot/readiness.js';
import { startHttpServer } from '../src/server/http-server.js';
import type { Clock } from '../src/clock.js';
import type { Grant } from '../src/rewards/ledger.js';
import { percentile, printTable, round, writeResult, numberArg } from './stats.js';

const MEMBERS = numberArg('members', 1000);
const WEBHOOKS = numberArg('webhooks', 500);
const DOUBLE_CLICK_SHARE = 0.05;
const KEY = 'hl_bench_key_0123456789';
const DBL_SECRET = 'dbl-bench-secret';
const silent = pino({ level: 'silent' });
const userId = (i: number): string => `5${String(i).padStart(17, '0')}`;
const addcoins = (fake: FakeHeliactyl): number =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/addcoins')).length;

function waitForSettled(rewards: Rewards, count: number): Promise<Grant[]> {
  const settled: Grant[] = [];
  return new Promise((resolve) => {
    rewards.onSettled((grant) => {
      settled.push(grant);
      if (settled.length === count) resolve(settled);
    });
  });
}

async function exactlyOnce() {
  const folder = mkdtempSync(join(tmpdir(), 'hostlink-bench-'));
  const fake = await FakeHeliactyl.start({
    apiKey: KEY,
    rateLimit: { limit: 10_000_000, windowMs: 600_000 },
  });
  const voters = WEBHOOKS / 2;
  for (let i = 0; i < MEMBERS + voters; i += 1) fake.addUser({ id: userId(i), coins: 1 });
  const store = await openStore(`sqlite://${join(folder, 'bench.sqlite')}`);
  const heliactyl = new HeliactylClient({
    baseUrl: fake.url,
    apiKey: KEY,
    timeoutMs: 10_000,
    budget: { limit: 10_000_000, windowMs: 600_000 },
  });
  const rewards = new Rewards({
    store,
    heliactyl,
    logger: silent,
    audit: { postEmbed: async () => undefined },
    thanks: { thank: async () => undefined },
    httpTimeoutMs: 10_000,
  });
  await rewards.settings.setVoteCoins(10);
  const server = await startHttpServer({
    config: { HTTP_PORT: 0, HTTP_HOST: '127.0.0.1', REWARDS_API_TOKENS: [], DBL_WEBHOOK_SECRET: DBL_SECRET },
    logger: silent,
    readiness: new Readiness(),
    store,
    metrics: new Metrics(),
    rewards,
    accountExists: async () => true,
  });
  const expected = MEMBERS + voters;
  const settled = waitForSettled(rewards, expected);
  rewards.start();

  const latencies: number[] = [];
  const claim = async (i: number): Promise<void> => {
    const started = performance.now();
    await rewards.enqueue({
      key: `daily:${userId(i)}:2026-11-30`,
      userId: userId(i),
      coins: 100,
      source: 'daily',
      cause: { streak: 1 },
    });
    latencies.push(performance.now() - started);
  };
  const clicks: Array<Promise<void>> = [];
  const start = performance.now();
  let doubles = 0;
  for (let i = 0; i < MEMBERS; i += 1) {
    const due = start + (i * 1000) / MEMBERS;
    while (performance.now() < due) await yieldToLoop();
    clicks.push(claim(i));
    if (i % Math.round(1 / DOUBLE_CLICK_SHARE) === 0) {
      clicks.push(claim(i));
      doubles += 1;
    }
  }
  await Promise.all(clicks);
  const enqueueSeconds = (performance.now() - start) / 1000;
  const deliveries: Array<Promise<Response>> = [];
  for (let v = 0; v < WEBHOOKS; v += 1) {
    const voter = userId(MEMBERS + (v % voters));
    deliveries.push(
      fetch(`${server.url}/webhooks/dbl`, {
        method: 'POST',
        headers: { authorization: DBL_SECRET, 'content-type': 'application/json' },
        body: JSON.stringify({ id: voter, username: 'voter' }),
      }),
    );
  }
  const answers = await Promise.all(deliveries);
  const non2xx = answers.filter((r) => r.status !== 200).length;
  await settled;
  const result = {
    clicks: MEMBERS + doubles,
    deliveries: WEBHOOKS,
    naiveAddcoins: MEMBERS + doubles + WEBHOOKS,
    expectedAddcoins: expected,
    hostlinkAddcoins: addcoins(fake),
    non2xx,
    enqueueSeconds: round(enqueueSeconds),
    enqueueP50Ms: round(percentile(latencies, 50)),
    enqueueP99Ms: round(percentile(latencies, 99)),
  };
  await server.close();
  await rewards.stop();
  await heliactyl.close();
  await store.close();
  await fake.close();
  rmSync(folder, { recursive: true, force: true });
  return result;
}

/** Sleeping moves this clock forward at once: hours of pacing run in seconds. */
class RacingClock implements Clock {
  at = Date.UTC(2026, 10, 30, 12);
  now(): number {
    return this.at;
  }
  wallNow(): number {
    return this.at;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { cancelled: false };
    void yieldToLoop().then(() => {
      if (timer.cancelled) return;
      this.at += ms;
      callback();
    });
    return timer;
  }
  clearTimeout(handle: unknown): void {
    (handle as { cancelled: boolean }).cancelled = true;
  }
}

async function drainRate() {
  const grants = 1000;
  const clock = new RacingClock();
  const fake = await FakeHeliactyl.start({ apiKey: KEY, now: () => clock.now() });
  for (let i = 0; i < grants; i += 1) fake.addUser({ id: userId(i), coins: 1 });
  const store = await openStore('sqlite://:memory:');
  const pacer = new RequestPacer({ clock });
  const heliactyl = new HeliactylClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 10_000, pacer });
  const rewards = new Rewards({
    store,
    heliactyl,
    logger: silent,
    audit: { postEmbed: async () => undefined },
    thanks: { thank: async () => undefined },
    clock,
    httpTimeoutMs: 10_000,
  });
  for (let i = 0; i < grants; i += 1)
    await rewards.enqueue({
      key: `bulk:b:${userId(i)}`,
      userId: userId(i),
      coins: 5,
      source: 'bulk',
      cause: { batch: 'b', invoker: 'bench' },
    });
  const times: number[] = [];
  const done = waitForSettled(rewards, grants);
  rewards.onSettled(() => times.push(clock.now()));
  // Bulk grants are audited per batch (by /coins grant), so the batched audit's one-minute timer stays
  // out of the run (this racing clock would jump a minute for each such timer while grants are in flight).
  const start = clock.now();
  rewards.start();
  const settled = await done;
  const windowMs = Math.ceil(pacer.budget.windowMs * (1 + pacer.margin.rate) + pacer.margin.ms);
  const fullWindows = Math.floor((times.at(-1)! - start) / windowMs);
  const inFullWindows = times.filter((t) => t < start + fullWindows * windowMs).length;
  const requestsPerGrant = 2;
  const perWindow = (inFullWindows * requestsPerGrant) / fullWindows;
  const result = {
    grants,
    granted: settled.filter((g) => g.state === 'granted').length,
    rateLimited429: fake.requests.length - settled.length * requestsPerGrant,
    pacerCapPerWindow: pacer.cap,
    pacerWindowSeconds: windowMs / 1000,
    fullWindows,
    requestsPerWindow: round(perWindow, 1),
    ratioToPacerBudget: round(perWindow / pacer.cap, 3),
    ratioToDashboardLimit: round(perWindow / windowMs / (250 / 600_000), 3),
  };
  await rewards.stop();
  await heliactyl.close();
  await store.close();
  await fake.close();
  return result;
}

const once = await exactlyOnce();
printTable('Rewards: exactly-once under duplicates (SQLite, real HTTP)', [
  ['/claim enqueues (1 s, 5 % double clicks)', once.clicks],
  ['webhook deliveries (each vote twice)', once.deliveries],
  ['addcoins a naive bot sends', once.naiveAddcoins],
  ['addcoins expected (one per key)', once.expectedAddcoins],
  ['addcoins Hostlink sent', once.hostlinkAddcoins],
  ['webhook answers not 200', once.non2xx],
  ['enqueue phase took (s)', once.enqueueSeconds],
  ['enqueue p50 (ms)', once.enqueueP50Ms],
  ['enqueue p99 (ms)', once.enqueueP99Ms],
]);
const drain = await drainRate();
printTable('Rewards: drain rate under 250/10m (fake clock)', [
  ['grants drained / granted', `${drain.grants} / ${drain.granted}`],
  ['429s from the dashboard', drain.rateLimited429],
  ['pacer budget per window', `${drain.pacerCapPerWindow} per ${drain.pacerWindowSeconds} s`],
  ['requests per window (full windows)', `${drain.requestsPerWindow} (${drain.fullWindows} windows)`],
  ['ratio to the pacer budget (target ≥ 0.95)', drain.ratioToPacerBudget],
  ['ratio to the dashboard limit 250/600 s', drain.ratioToDashboardLimit],
]);
const file = writeResult('rewards', { once, drain });
console.log(`\nwritten to ${file}`);
const ok =
  once.hostlinkAddcoins === once.expectedAddcoins &&
  once.non2xx === 0 &&
  drain.granted === drain.grants &&
  Math.abs(1 - drain.ratioToPacerBudget) <= 0.05;
process.exit(ok ? 0 : 1);
