/**
 * Fairness under a hostile console stream (issue 8, item 1), side by side:
 * two identical bot processes (A and B), each with its own fake Discord and
 * the same fake AtomicHost, run at the same time. In each, one owner holds
 * 3 open consoles and 20 other users run `/server list` — the same users at
 * the same instants in both. Only A's 3 consoles are flooded with 8 KB
 * `ESC[48;5;48;5;…m` lines. Both bots share the machine and its background
 * load at every moment, so the difference of their ack times is what the
 * flood costs other users. Ack: INTERACTION_CREATE → first callback, at the
 * fake Discord.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscord, type FakeInteraction } from '../../test/fakes/discord/index.js';
import { OptionType } from '../../test/fakes/discord/interaction-builders.js';
import type { FakeAtomicHost, FakeService } from '../../test/fakes/atomichost/index.js';
import { formatEvent } from '../../test/fakes/atomichost/sse.js';
import { startProcess, type BotProcess } from '../../test/helpers/bot-process.js';
import { cpuMs, percentile, round } from '../stats.js';

/** The line of the issue: 8 KB of `ESC[48;5;…m`, under the bot's 8,192-character line cut. */
export const HOSTILE_LINE = `\u001b[${'48;5;'.repeat(1600)}m`;
const BYSTANDERS = 20;

export interface FairnessOptions {
  atomichost: FakeAtomicHost;
  intervalMs: number;
  /** Measured seconds (after a warm-up of 5 s). */
  durationS: number;
  /** `/server list` per second, spread over the bystanders (to each bot). */
  askRate: number;
  /** Hostile lines per second into each of A's 3 consoles. */
  floodRate: number;
}

export interface AckStats {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  unanswered: number;
  botCpuPercent: number;
}

export interface FairnessResult {
  flooded: AckStats;
  baseline: AckStats;
  addedP99Ms: number;
  hostileLinesPushed: number;
  hostileMiBPushed: number;
}

interface Side {
  discord: FakeDiscord;
  bot: BotProcess;
  floodServices: FakeService[];
  consoles: FakeInteraction[];
  asks: FakeInteraction[];
}

const userId = (i: number): string => `1910000000000${String(i).padStart(5, '0')}`;

async function startSide(o: FairnessOptions, name: string): Promise<Side> {
  const discord = await FakeDiscord.start({ recordRequests: false });
  discord.warmUp();
  const bot = startProcess({
    DISCORD_TOKEN: discord.botToken,
    DISCORD_API_URL: discord.apiUrl,
    ATOMICHOST_API_URL: o.atomichost.url,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    CONSOLE_EDIT_INTERVAL_MS: String(o.intervalMs),
    LOG_LEVEL: 'warn',
  });
  await discord.waitForReady();
  await bot.waitForLog((line) => line.msg === 'Hostlink is ready').catch(() => sleep(500));
  const setKey = async (user: string, key: string): Promise<void> => {
    const opened = discord.chatInput({ name: 'apikey', subcommand: 'set', userId: user });
    const callback = await opened.waitForCallback(10_000);
    const modal = discord.modalSubmit({
      customId: String(callback.data.custom_id),
      fields: { key },
      userId: user,
    });
    await modal.waitFor(() => (modal.original?.embeds.length ?? 0) > 0, 10_000);
  };
  const owner = o.atomichost.addAccount({ username: `flooder-${name}` });
  await setKey(userId(0), owner.key);
  const floodServices = Array.from({ length: 3 }, (_, i) =>
    o.atomichost.addService({ name: `Flood ${name}${i}`, ownerId: owner.id }),
  );
  const consoles: FakeInteraction[] = [];
  for (const service of floodServices) {
    const opened = discord.chatInput({
      name: 'console',
      subcommand: 'stream',
      userId: userId(0),
      options: [{ name: 'server', type: OptionType.String, value: String(service.id) }],
    });
    await opened.waitFor(
      () => String((opened.original?.embeds[0] as { title?: string })?.title).startsWith('Console'),
      20_000,
    );
    consoles.push(opened);
  }
  for (let i = 1; i <= BYSTANDERS; i++) {
    const account = o.atomichost.addAccount({ username: `bystander-${name}${i}` });
    o.atomichost.addService({ name: `Bystander ${i}`, ownerId: account.id });
    await setKey(userId(i), account.key);
  }
  return { discord, bot, floodServices, consoles, asks: [] };
}

function stats(asks: FakeInteraction[], cpuPercent: number): AckStats {
  const acks = asks
    .filter((i) => i.firstCallbackAt !== undefined)
    .map((i) => i.firstCallbackAt! - i.dispatchedAt);
  return {
    p50: round(percentile(acks, 50), 2),
    p99: round(percentile(acks, 99), 2),
    max: round(percentile(acks, 100), 2),
    samples: acks.length,
    unanswered: asks.length - acks.length,
    botCpuPercent: round(cpuPercent, 1),
  };
}

export async function measureFairness(o: FairnessOptions): Promise<FairnessResult> {
  const [flooded, baseline] = [await startSide(o, 'a'), await startSide(o, 'b')];
  const sides = [flooded, baseline];
  const event = Buffer.from(formatEvent('output', HOSTILE_LINE));
  const warmUpMs = 5_000;
  const totalMs = warmUpMs + o.durationS * 1000;
  let pushed = 0;
  let asked = 0;
  let cpuBefore: number[] = [];
  let measuredFrom = 0;
  const start = performance.now();
  for (let elapsed = 0; elapsed < totalMs; elapsed = performance.now() - start) {
    if (measuredFrom === 0 && elapsed >= warmUpMs) {
      measuredFrom = performance.now();
      cpuBefore = sides.map((s) => cpuMs(s.bot.child.pid!));
      for (const side of sides) side.asks.length = 0;
    }
    const due = Math.floor((elapsed * o.floodRate) / 1000) + 1;
    for (; pushed < due; pushed++) for (const s of flooded.floodServices) o.atomichost.pushRaw(s.id, event);
    const dueAsks = Math.floor((elapsed * o.askRate) / 1000) + 1;
    for (; asked < dueAsks; asked++) {
      const user = userId(1 + (asked % BYSTANDERS));
      // Which bot is asked first alternates, so neither gains from the order.
      for (const side of asked % 2 === 0 ? sides : [...sides].reverse())
        side.asks.push(side.discord.chatInput({ name: 'server', subcommand: 'list', userId: user }));
    }
    await sleep(5);
  }
  const measuredMs = performance.now() - measuredFrom;
  const cpuPercent = sides.map((s, i) => ((cpuMs(s.bot.child.pid!) - cpuBefore[i]!) / measuredMs) * 100);
  const deadline = performance.now() + 5_000;
  const pending = (): boolean => sides.some((s) => s.asks.some((i) => i.firstCallbackAt === undefined));
  while (performance.now() < deadline && pending()) await sleep(20);
  // The flooded bot kept up: a marker after the flood reaches its 3 consoles.
  for (const s of flooded.floodServices) o.atomichost.pushOutput(s.id, '\u001b[0mend of flood');
  await Promise.all(
    flooded.consoles.map((c) =>
      c.waitFor(
        () =>
          String((c.original?.embeds[0] as { description?: string })?.description).includes('end of flood'),
        60_000,
      ),
    ),
  );
  const result = {
    flooded: stats(flooded.asks, cpuPercent[0]!),
    baseline: stats(baseline.asks, cpuPercent[1]!),
  };
  await Promise.all(sides.map((s) => s.bot.stop()));
  await Promise.all(sides.map((s) => s.discord.close()));
  const lines = pushed * flooded.floodServices.length;
  return {
    ...result,
    addedP99Ms: round(result.flooded.p99 - result.baseline.p99, 2),
    hostileLinesPushed: lines,
    hostileMiBPushed: round((lines * event.length) / 1024 / 1024, 1),
  };
}
