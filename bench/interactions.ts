/**
 * Interaction latency: the real bot process against the fakes, /panel status
 * injected at a fixed rate. Measures, at the fake Discord, the time from
 * sending INTERACTION_CREATE on the gateway to receiving the bot's first
 * callback (the defer), plus throughput and the bot's RSS.
 *
 *   npm run bench -- interactions [--rate 200] [--count 3000] [--rounds 3]
 *
 * Target (issue #2): p99 ≤ 10 ms at 200 interactions/s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscord, type FakeInteraction } from '../test/fakes/discord/index.js';
import { FakeHeliactyl } from '../test/fakes/heliactyl.js';
import { FakeAtomicHost } from '../test/fakes/atomichost/index.js';
import { startBenchBot } from './lib/bot.js';
import { percentile, printTable, round, rssMiB, cpuMs, writeResult, numberArg } from './stats.js';

const RATE = numberArg('rate', 200);
const COUNT = numberArg('count', 3000);
const ROUNDS = numberArg('rounds', 3);
const TARGET_P99_MS = 10;
const ROLE = '300000000000000002';
const KEY = 'hl_bench_key_0123456789';

const discord = await FakeDiscord.start({ recordRequests: false });
discord.warmUp();
const heliactyl = await FakeHeliactyl.start({
  apiKey: KEY,
  rateLimit: { limit: 10_000_000, windowMs: 600_000 },
});
const atomichost = await FakeAtomicHost.start();
const { bot } = await startBenchBot(discord, {
  HELIACTYL_URL: heliactyl.url,
  HELIACTYL_API_KEY: KEY,
  // Every /panel status really reads the dashboard (the default budget, 250/10m, would turn all
  // but the first 250 into the "Dashboard error" answer).
  HELIACTYL_RATE_LIMIT: '999999/1m',
  ATOMICHOST_API_URL: atomichost.url,
  MODERATOR_ROLE_IDS: ROLE,
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
});
await sleep(500);
const pid = bot.child.pid!;

/** Injects `count` interactions at `rate`/s on a drift-free schedule. */
async function inject(count: number, rate: number): Promise<FakeInteraction[]> {
  const sent: FakeInteraction[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    sent.push(discord.chatInput({ name: 'panel', subcommand: 'status', roles: [ROLE] }));
  }
  return sent;
}

async function settle(interactions: FakeInteraction[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && interactions.some((i) => i.firstCallbackAt === undefined))
    await sleep(50);
}

// Warm-up: JIT, connection pools, validators.
await settle(await inject(300, 100), 10_000);
await sleep(500);

const rssStart = rssMiB(pid);
let rssPeak = rssStart;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, rssMiB(pid));
}, 100);

interface Round {
  latencies: number[];
  throughput: number;
  answered: number;
  cpuPercent: number;
}
const rounds: Round[] = [];
const answerTitles = new Map<string, number>();
for (let r = 0; r < ROUNDS; r++) {
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const sent = await inject(COUNT, RATE);
  await settle(sent, 10_000);
  const elapsed = performance.now() - started;
  const cpuUsed = cpuMs(pid) - cpuBefore;
  const answered = sent.filter((i) => i.firstCallbackAt !== undefined);
  await sleep(1_000); // let the final edits land before reading them
  for (const interaction of sent) {
    const title = String(
      (interaction.original?.embeds[0] as { title?: string } | undefined)?.title ?? '(no final answer yet)',
    );
    answerTitles.set(title, (answerTitles.get(title) ?? 0) + 1);
  }
  const lastCallback = Math.max(...answered.map((i) => i.firstCallbackAt!));
  rounds.push({
    latencies: answered.map((i) => i.firstCallbackAt! - i.dispatchedAt),
    throughput: answered.length / ((lastCallback - sent[0]!.dispatchedAt) / 1000),
    answered: answered.length,
    cpuPercent: (cpuUsed / elapsed) * 100,
  });
  await sleep(1_000);
}
clearInterval(sampler);
const rssEnd = rssMiB(pid);

await bot.stop();
await Promise.all([discord.close(), heliactyl.close(), atomichost.close()]);

const all = rounds.flatMap((r) => r.latencies);
const p = (q: number): number => round(percentile(all, q));
const result = {
  benchmark: 'interactions',
  rate: RATE,
  perRound: COUNT,
  rounds: ROUNDS,
  firstCallbackMs: { p50: p(50), p95: p(95), p99: p(99), max: p(100) },
  perRoundP99Ms: rounds.map((r) => round(percentile(r.latencies, 99))),
  throughputPerSec: rounds.map((r) => round(r.throughput, 1)),
  answered: `${rounds.reduce((n, r) => n + r.answered, 0)}/${COUNT * ROUNDS}`,
  botCpuPercentOfOneCore: rounds.map((r) => round(r.cpuPercent, 1)),
  rssMiB: { start: round(rssStart, 1), peak: round(rssPeak, 1), end: round(rssEnd, 1) },
  finalAnswers: Object.fromEntries(answerTitles),
  target: { p99Ms: TARGET_P99_MS, met: p(99) <= TARGET_P99_MS },
};

printTable(
  `Interactions: /panel status at ${RATE}/s, ${ROUNDS} × ${COUNT} (INTERACTION_CREATE → first callback)`,
  [
    ['p50', `${result.firstCallbackMs.p50} ms`],
    ['p95', `${result.firstCallbackMs.p95} ms`],
    [
      'p99',
      `${result.firstCallbackMs.p99} ms  (target ≤ ${TARGET_P99_MS} ms: ${result.target.met ? 'met' : 'NOT met'})`,
    ],
    ['max', `${result.firstCallbackMs.max} ms`],
    ['p99 per round', result.perRoundP99Ms.map((v) => `${v} ms`).join(', ')],
    ['throughput', result.throughputPerSec.map((v) => `${v}/s`).join(', ')],
    ['answered', result.answered],
    ['final answers', [...answerTitles].map(([title, n]) => `${n} × "${title}"`).join(', ')],
    ['bot CPU (one core)', result.botCpuPercentOfOneCore.map((v) => `${v} %`).join(', ')],
    [
      'bot RSS',
      `start ${result.rssMiB.start} MiB, peak ${result.rssMiB.peak} MiB, end ${result.rssMiB.end} MiB`,
    ],
  ],
);
console.log(`\nwrote ${writeResult('interactions', result)}`);
