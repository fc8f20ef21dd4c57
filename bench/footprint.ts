/**
 * Footprint: the compiled bot (as `npm start` runs it: node, with the start
 * script's flags, on dist/src/index.js) and, in the same run, a bare discord.js client (Guilds intent,
 * bench/bare-client.mjs) against the same fake Discord, one after the other.
 * For each: spawn → READY, idle RSS, and RSS after 3,000 interactions
 * (/panel status at 200/s, each answered from the fake dashboard; the bare
 * client defers and edits): 3 s after the last answer, and then how long
 * until RSS is back within 25 MiB of idle (read each second, for at most
 * --back-within seconds). V8 keeps the heap it grew into under load until
 * its memory reducer runs (a memory-reducing full GC once the allocation
 * rate has stayed low), so the 3 s figure is the load's high-water mark and
 * the second one shows whether the memory comes back.
 *
 *   npm run bench -- footprint [--count 3000] [--rate 200] [--rounds 3] [--back-within 120]
 *
 * Targets (issue 13 item 3): idle RSS ≤ bare + 15 MiB; after the
 * interactions, RSS back within 25 MiB of idle; start → ready ≤ bare + 300 ms.
 * Builds dist/ first when the sources are newer (as bench/lib/bot.ts does), so it is the code in the tree.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscord, type FakeInteraction } from '../test/fakes/discord/index.js';
import { FakeHeliactyl } from '../test/fakes/heliactyl.js';
import { FakeAtomicHost } from '../test/fakes/atomichost/index.js';
import { startProcess } from '../test/helpers/bot-process.js';
import { ensureBuilt } from '../test/helpers/build.js';
import { npmStart } from '../test/helpers/npm-start.js';
import { percentile, printTable, round, rssMiB, writeResult, numberArg } from './stats.js';

const COUNT = numberArg('count', 3000);
const RATE = numberArg('rate', 200);
const ROUNDS = numberArg('rounds', 3);
const BACK_WITHIN_S = numberArg('back-within', 120);
const BACK_MARGIN_MIB = 25;
const ROLE = '300000000000000002';
const KEY = 'hl_bench_key_0123456789';

ensureBuilt();

const discord = await FakeDiscord.start({ recordRequests: false });
discord.warmUp();
const heliactyl = await FakeHeliactyl.start({
  apiKey: KEY,
  rateLimit: { limit: 10_000_000, windowMs: 600_000 },
});
const atomichost = await FakeAtomicHost.start();

interface Sample {
  readyMs: number;
  idleMiB: number;
  afterMiB: number;
  /** Seconds from the last answer until RSS was back within 25 MiB of idle (null: not within BACK_WITHIN_S). */
  backAfterS: number | null;
  /** RSS when it was back (or at the end of the wait). */
  backMiB: number;
  answered: number;
  /** Answers that were the status embed (the rest were errors). */
  statusAnswers: number;
}

/** Median of a few RSS readings a tick apart: one reading can catch a GC mid-way. */
async function steadyRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssMiB(pid));
    await sleep(200);
  }
  return percentile(readings, 50);
}

async function inject(count: number, rate: number): Promise<FakeInteraction[]> {
  const sent: FakeInteraction[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    sent.push(discord.chatInput({ name: 'panel', subcommand: 'status', roles: [ROLE] }));
  }
  return sent;
}

async function settle(interactions: FakeInteraction[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (
    performance.now() < deadline &&
    interactions.some((i) => (i.original?.embeds.length ?? 0) === 0 && !i.original?.content)
  )
    await sleep(50);
}

async function measure(which: 'bot' | 'bare'): Promise<Sample> {
  const env = {
    DISCORD_TOKEN: discord.botToken,
    DISCORD_API_URL: discord.apiUrl,
    HELIACTYL_URL: heliactyl.url,
    HELIACTYL_API_KEY: KEY,
    // Every /panel status really reads the dashboard (the default budget would turn most into errors).
    HELIACTYL_RATE_LIMIT: '999999/1m',
    ATOMICHOST_API_URL: atomichost.url,
    MODERATOR_ROLE_IDS: ROLE,
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  const spawnedAt = performance.now();
  const child = startProcess(env, which === 'bot' ? npmStart() : { compiled: 'bench/bare-client.mjs' });
  // READY as the fake Discord sends it (the bot logs at warn here, so no ready line to watch).
  await discord.waitForReady();
  const readyMs = performance.now() - spawnedAt;
  const pid = child.child.pid!;
  await sleep(3_000);
  const idleMiB = await steadyRss(pid);
  const sent = await inject(COUNT, RATE);
  await settle(sent, 30_000);
  const lastAnswerAt = performance.now();
  await sleep(3_000);
  const afterMiB = await steadyRss(pid);
  let backMiB = afterMiB;
  while (backMiB > idleMiB + BACK_MARGIN_MIB && performance.now() - lastAnswerAt < BACK_WITHIN_S * 1000) {
    await sleep(1_000);
    backMiB = rssMiB(pid);
  }
  const backAfterS =
    backMiB <= idleMiB + BACK_MARGIN_MIB ? round((performance.now() - lastAnswerAt) / 1000, 0) : null;
  const answered = sent.filter((i) => i.firstCallbackAt !== undefined).length;
  const statusAnswers = sent.filter(
    (i) => (i.original?.embeds[0] as { title?: string } | undefined)?.title === 'Dashboard is online',
  ).length;
  await child.stop();
  return { readyMs, idleMiB, afterMiB, backAfterS, backMiB, answered, statusAnswers };
}

const samples: Record<'bot' | 'bare', Sample[]> = { bot: [], bare: [] };
for (let r = 0; r < ROUNDS; r++) {
  samples.bare.push(await measure('bare'));
  samples.bot.push(await measure('bot'));
}
await Promise.all([discord.close(), heliactyl.close(), atomichost.close()]);

const median = (which: 'bot' | 'bare', key: 'readyMs' | 'idleMiB' | 'afterMiB' | 'backMiB'): number =>
  round(
    percentile(
      samples[which].map((s) => s[key]),
      50,
    ),
    1,
  );
const summary = (which: 'bot' | 'bare') => ({
  readyMs: median(which, 'readyMs'),
  idleMiB: median(which, 'idleMiB'),
  afterMiB: median(which, 'afterMiB'),
  backMiB: median(which, 'backMiB'),
  /** The slowest round's return (null when a round did not come back within the wait). */
  backAfterS: samples[which].some((s) => s.backAfterS === null)
    ? null
    : Math.max(...samples[which].map((s) => s.backAfterS!)),
  answered: samples[which].map((s) => `${s.answered}/${COUNT}`),
});
const bot = summary('bot');
const bare = summary('bare');
const targets = {
  idle: { limitMiB: round(bare.idleMiB + 15, 1), met: bot.idleMiB <= bare.idleMiB + 15 },
  afterInteractions: {
    limitMiB: round(bot.idleMiB + BACK_MARGIN_MIB, 1),
    withinSeconds: BACK_WITHIN_S,
    met: bot.backAfterS !== null,
  },
  ready: { limitMs: round(bare.readyMs + 300, 1), met: bot.readyMs <= bare.readyMs + 300 },
};
const result = {
  benchmark: 'footprint',
  count: COUNT,
  rate: RATE,
  rounds: ROUNDS,
  bot,
  bare,
  samples,
  targets,
};
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
const backText = (s: ReturnType<typeof summary>): string =>
  s.backAfterS === null ? `not within ${BACK_WITHIN_S} s` : `after ${s.backAfterS} s (${s.backMiB} MiB)`;

printTable(
  `Footprint: compiled bot vs bare discord.js client (median of ${ROUNDS}; ${COUNT} interactions at ${RATE}/s)`,
  [
    ['', 'bot / bare'],
    ['spawn → READY', `${bot.readyMs} ms / ${bare.readyMs} ms  (≤ bare + 300 ms: ${met(targets.ready.met)})`],
    ['idle RSS', `${bot.idleMiB} MiB / ${bare.idleMiB} MiB  (≤ bare + 15 MiB: ${met(targets.idle.met)})`],
    [
      `RSS 3 s after ${COUNT}`,
      `${bot.afterMiB} MiB / ${bare.afterMiB} MiB  ` +
        `(over idle: bot +${round(bot.afterMiB - bot.idleMiB, 1)}, bare +${round(bare.afterMiB - bare.idleMiB, 1)}: the load's high-water mark)`,
    ],
    [
      `back within ${BACK_MARGIN_MIB} MiB of idle`,
      `${backText(bot)} / ${backText(bare)}  (bot within ${BACK_WITHIN_S} s: ${met(targets.afterInteractions.met)})`,
    ],
    ['answered', `${bot.answered.join(', ')} / ${bare.answered.join(', ')}`],
    ['bot answers that were the status embed', samples.bot.map((s) => s.statusAnswers).join(', ')],
  ],
);
console.log(`\nwritten to ${writeResult('footprint', result)}`);
