/**
 * /claim under a rush: the real bot process against the fakes, `members`
 * members clicking /claim within one second, 5 % of them twice at once.
 * Measures, at the fake Discord, the time from INTERACTION_CREATE to the
 * bot's first callback (the ack), and counts the addcoins the fake
 * dashboard received once every grant is paid, against what a naive bot
 * (one addcoins per click) would send.
 *
 *   npm run bench -- rewards-claim [--members 1000] [--paced] [--timeline] [--cpu-prof]
 *
 * `--timeline` prints the acks per tenth of the clicks; `--cpu-prof` has the
 * bot write a V8 CPU profile (bench/results/profiles/) when it stops. The ack
 * is stamped when the callback request reaches the fake Discord.
 *
 * Targets (issue 12, item 16): ack p99 ≤ 10 ms; addcoins exactly one per member.
 * The dashboard's budget is lifted here (HELIACTYL_RATE_LIMIT) so every
 * grant is paid within the run; `--paced` keeps production's 250/10m
 * instead (the worker barely runs during the rush) and reports acks only.
 * The drain rate under 250/10m is measured by `npm run bench -- rewards`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FakeDiscord, type FakeInteraction } from '../test/fakes/discord/index.js';
import { FakeHeliactyl } from '../test/fakes/heliactyl.js';
import { FakeAtomicHost } from '../test/fakes/atomichost/index.js';
import { startBenchBot } from './lib/bot.js';
import { cpuMs, machineBusyMs, percentile, printTable, round, writeResult, numberArg } from './stats.js';

const MEMBERS = numberArg('members', 1000);
/** `--paced`: the dashboard budget of production (250/10m), so the worker barely runs during the rush; acks only. */
const PACED = process.argv.includes('--paced');
/** `--cpu-prof`: the bot writes a V8 CPU profile into bench/results/profiles/ when it stops. */
const CPU_PROF = process.argv.includes('--cpu-prof');
const DOUBLE_CLICK_EVERY = 20; // 5 %
const TARGET_P99_MS = 10;
const ADMIN = '300000000000000001';
const KEY = 'hl_bench_key_0123456789';
const DAILY_COINS = 25;
const memberId = (i: number): string => `6${String(i).padStart(17, '0')}`;

const discord = await FakeDiscord.start({ recordRequests: false });
discord.warmUp();
const heliactyl = await FakeHeliactyl.start({
  apiKey: KEY,
  rateLimit: { limit: 10_000_000, windowMs: 600_000 },
});
for (let i = 0; i < MEMBERS; i += 1) heliactyl.addUser({ id: memberId(i), coins: 1 });
const atomichost = await FakeAtomicHost.start();
const { bot, exitedEarly } = await startBenchBot(
  discord,
  {
    HELIACTYL_URL: heliactyl.url,
    HELIACTYL_API_KEY: KEY,
    HELIACTYL_RATE_LIMIT: PACED ? '250/10m' : '999999/1m',
    ATOMICHOST_API_URL: atomichost.url,
    ADMIN_ROLE_IDS: ADMIN,
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  },
  CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${fileURLToPath(new URL('./results/profiles/', import.meta.url))}`]
    : [],
);

const addcoins = (): number =>
  heliactyl.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/addcoins')).length;
const titleOf = (interaction: FakeInteraction): string | undefined =>
  (interaction.original?.embeds?.[0] as { title?: string } | undefined)?.title;

async function answered(interactions: FakeInteraction[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (interactions.some((i) => titleOf(i) === undefined)) {
    if (performance.now() > deadline) {
      const missing = interactions.filter((i) => titleOf(i) === undefined);
      const sample = missing[0];
      throw new Error(
        `${missing.length} of ${interactions.length} interactions unanswered; first: ${JSON.stringify(sample?.callbacks)} ${JSON.stringify(sample?.original)}\n${bot.stdout().slice(-3000)}`,
      );
    }
    await Promise.race([sleep(20), exitedEarly]);
  }
}

// The rule, and a warm-up claim (first-use costs: module caches, prepared statements).
const rule = discord.chatInput({
  name: 'rewards',
  subcommand: 'daily',
  options: [{ name: 'coins', type: 4, value: DAILY_COINS }],
  roles: [ADMIN],
});
const warmUp = discord.chatInput({ name: 'claim', userId: '699999999999999999' });
await answered([rule, warmUp], 30_000);
if (titleOf(rule) !== 'Daily reward set') throw new Error(`rule not set: ${titleOf(rule)}`);
const warmUpGrants = titleOf(warmUp)?.startsWith('Claimed') ? 1 : 0;

// The fakes' own event loop is part of every measured ack: its delay is printed beside the acks.
const fakeLag = monitorEventLoopDelay({ resolution: 1 });
fakeLag.enable();
const clicks: FakeInteraction[] = [];
const botPid = bot.child.pid!;
const cpuBefore = { bot: cpuMs(botPid), fakes: cpuMs(process.pid), machine: machineBusyMs() };
const start = performance.now();
const at = Date.now();
for (let i = 0; i < MEMBERS; i += 1) {
  const wait = start + (i * 1000) / MEMBERS - performance.now();
  if (wait > 1) await sleep(wait);
  clicks.push(discord.chatInput({ name: 'claim', userId: memberId(i), at }));
  if (i % DOUBLE_CLICK_EVERY === 0)
    clicks.push(discord.chatInput({ name: 'claim', userId: memberId(i), at }));
}
const injectSeconds = (performance.now() - start) / 1000;
await answered(clicks, 120_000);
const rushMs = performance.now() - start;
fakeLag.disable();
// CPU used from the first click to the last answer, as a share of one core.
const cpuShare = (before: number, pid: number): number => round((cpuMs(pid) - before) / rushMs, 2);
const cpu = {
  bot: cpuShare(cpuBefore.bot, botPid),
  fakes: cpuShare(cpuBefore.fakes, process.pid),
  machine: round((machineBusyMs() - cpuBefore.machine) / rushMs, 2),
};
// The machine is shared (2 cores): what else ran meanwhile explains a slow run.
const others = round(Math.max(0, cpu.machine - cpu.bot - cpu.fakes), 2);
const botCpuPerClickMs = round((cpuMs(botPid) - cpuBefore.bot) / clicks.length, 2);
const acks = clicks.map((i) => i.firstCallbackAt! - i.dispatchedAt);
const claimed = clicks.filter((i) => titleOf(i) === `Claimed ${DAILY_COINS} coins`).length;
const turnedAway = clicks.filter((i) => titleOf(i) === 'Nothing to claim yet').length;
console.log(
  `ack p50 ${round(percentile(acks, 50))} ms, p95 ${round(percentile(acks, 95))} ms, p99 ${round(percentile(acks, 99))} ms, max ${round(percentile(acks, 100))} ms (${PACED ? 'worker paced at 250/10m' : 'worker unpaced'}); ` +
    `CPU over ${round(rushMs / 1000)} s to the last answer: bot ${cpu.bot} core (${botCpuPerClickMs} ms a click), bench + fakes ${cpu.fakes} core, other processes ${others} core; ` +
    `fakes' event-loop delay p99 ${round(fakeLag.percentile(99) / 1e6)} ms`,
);
if (process.argv.includes('--timeline')) {
  // Ack p50/max per tenth of the clicks: shows whether the delay builds up or comes in a stall.
  const tenth = Math.ceil(clicks.length / 10);
  for (let i = 0; i < clicks.length; i += tenth) {
    const part = acks.slice(i, i + tenth);
    const sent = round(clicks[i]!.dispatchedAt - clicks[0]!.dispatchedAt, 0);
    console.log(
      `  clicks from +${sent} ms: p50 ${round(percentile(part, 50))}  max ${round(percentile(part, 100))} ms`,
    );
  }
}
if (PACED) {
  // The grants drain at the production pace (hours for 1,000): acks only.
  await bot.stop();
  await Promise.allSettled([discord.close(), heliactyl.close(), atomichost.close()]);
  process.exit(0);
}

// Every grant paid: wait for the expected count, then a quiet second to see that nothing more follows.
const expected = MEMBERS + warmUpGrants;
const drainStart = performance.now();
while (addcoins() < expected && performance.now() - drainStart < 300_000) await sleep(50);
const drainSeconds = (performance.now() - drainStart) / 1000;
await sleep(1_000);
const sent = addcoins() - warmUpGrants;

const result = {
  members: MEMBERS,
  clicks: clicks.length,
  injectSeconds: round(injectSeconds),
  ackMs: {
    p50: round(percentile(acks, 50)),
    p95: round(percentile(acks, 95)),
    p99: round(percentile(acks, 99)),
    max: round(percentile(acks, 100)),
  },
  cpuCoresToLastAnswer: { ...cpu, others },
  botCpuPerClickMs,
  fakesEventLoopDelayP99Ms: round(fakeLag.percentile(99) / 1e6),
  repliesClaimed: claimed,
  repliesAlreadyClaimed: turnedAway,
  naiveAddcoins: clicks.length,
  expectedAddcoins: MEMBERS,
  hostlinkAddcoins: sent,
  drainSecondsAfterLastReply: round(drainSeconds),
};
printTable(
  `/claim rush: ${MEMBERS} members in ${result.injectSeconds} s, ${clicks.length - MEMBERS} double clicks (real bot, SQLite)`,
  [
    ['ack p50', `${result.ackMs.p50} ms`],
    ['ack p95', `${result.ackMs.p95} ms`],
    [
      'ack p99',
      `${result.ackMs.p99} ms  (target ≤ ${TARGET_P99_MS} ms: ${result.ackMs.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'})`,
    ],
    ['ack max', `${result.ackMs.max} ms`],
    ['bot CPU a click (ack and the work after it)', `${botCpuPerClickMs} ms`],
    ['other processes on the machine meanwhile', `${others} core`],
    ['replies "Claimed" / "Nothing to claim yet"', `${claimed} / ${turnedAway}`],
    ['addcoins a naive bot sends (one per click)', result.naiveAddcoins],
    ['addcoins expected (one per member)', result.expectedAddcoins],
    ['addcoins Hostlink sent', result.hostlinkAddcoins],
  ],
);
const file = writeResult('rewards-claim', result);
console.log(`\nwritten to ${file}`);
await bot.stop();
await Promise.allSettled([discord.close(), heliactyl.close(), atomichost.close()]);
const ok =
  result.hostlinkAddcoins === MEMBERS && claimed === MEMBERS && turnedAway === clicks.length - MEMBERS;
process.exit(ok ? 0 : 1);
