import { randomBytes } from 'node:crypto';
import { REST } from 'discord.js';
import Keyv from 'keyv';
import { AtomicHostClient } from '../../src/atomichost/client.js';
import { createLogger } from '../../src/logger.js';
import { KeyVault } from '../../src/vault/vault.js';
import { encryptionKey } from '../../src/vault/crypto.js';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { WatchServices, type RunningWatch } from '../../src/watch/services.js';
import { FakeAtomicHost } from '../fakes/atomichost/index.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscordOptions } from '../fakes/discord/fake-discord.js';
import { ManualClock } from './manual-clock.js';
import { sqliteEngine, type StoreEngine } from './stores.js';

/** One "process": the watch services on its own connection to the shared store. */
export interface WatchProcess extends RunningWatch {
  /** Resolves when no check, sync, warning, run or reminder is in progress. */
  settled(): Promise<void>;
  store: RelationalStore;
  /** A clean shutdown: leases handed back, connection closed. */
  stop(): Promise<void>;
  /** The process dies: its timers stop and nothing more reaches the store (leases run out on their own). */
  kill(): Promise<void>;
}

/**
 * The watch services wired to the real fakes over HTTP (fake Discord through
 * @discordjs/rest, fake AtomicHost through the real client), a real key
 * vault and a real store (SQLite by default, or the given engine), on a
 * manual clock. Each `startProcess()` is one more process on that store.
 */
export async function startWatchRig(
  t: { after(fn: () => Promise<void>): void },
  options: {
    dailyCredits?: number;
    discord?: FakeDiscordOptions;
    logLevel?: 'silent' | 'warn';
    upstreamTimeoutMs?: number;
    engine?: StoreEngine;
    /** How often each process syncs with the store (default: the production value). */
    syncEveryMs?: number;
  } = {},
) {
  const [discord, atomichost] = await Promise.all([
    FakeDiscord.start(options.discord),
    // The per-minute rate limit runs on real time, which the manual clock compresses: lift it.
    FakeAtomicHost.start({
      ratePerMinute: 1_000_000,
      ...(options.dailyCredits ? { dailyCredits: options.dailyCredits } : {}),
    }),
  ]);
  const created = await (options.engine ?? sqliteEngine).create();
  const clock = new ManualClock(0, Date.UTC(2026, 5, 1));
  const logger = createLogger({ level: options.logLevel ?? 'silent' });
  const vault = new KeyVault(
    new Keyv<string>(),
    { current: encryptionKey(randomBytes(32)), previous: [] },
    logger,
  );
  const client = new AtomicHostClient({
    baseUrl: atomichost.url,
    timeoutMs: options.upstreamTimeoutMs ?? 2000,
  });
  const rest = new REST({ api: discord.apiUrl }).setToken(discord.botToken);
  const processes: WatchProcess[] = [];

  async function startProcess(): Promise<WatchProcess> {
    const store = await openStore(created.url);
    const services = new WatchServices({
      clock,
      logger,
      atomichost: client,
      keys: vault,
      onRevoked: () => undefined,
      ...(options.syncEveryMs ? { syncEveryMs: options.syncEveryMs } : {}),
    });
    await services.start(rest, store.db);
    const running = services.running;
    let ended = false;
    const end = async (release: boolean) => {
      if (ended) return;
      ended = true;
      await services.stop({ release });
      await store.close();
    };
    const proc: WatchProcess = {
      ...running,
      store,
      async settled() {
        await Promise.all([
          running.manager.settled(),
          running.schedules.settled(),
          running.reminders.settled(),
        ]);
      },
      stop: () => end(true),
      kill: () => end(false),
    };
    processes.push(proc);
    return proc;
  }

  t.after(async () => {
    for (const proc of processes) await proc.stop().catch(() => undefined);
    await client.close();
    await Promise.allSettled([discord.close(), atomichost.close()]);
    await created.cleanup();
  });

  /** An AtomicHost account with its key in the vault for a Discord user. */
  async function owner(username: string) {
    const account = atomichost.addAccount({ username });
    const userId = `4${String(account.id).padStart(17, '0')}`;
    await vault.set(userId, account.key);
    return { account, userId };
  }

  /** Every process started so far, as one thing to wait for (runFor's `settled`). */
  const all = {
    settled: async () => {
      await Promise.all(processes.map((p) => p.settled()));
    },
  };

  return { discord, atomichost, clock, vault, storeUrl: created.url, logger, startProcess, owner, all };
}

/** Moves the clock in steps of `stepMs` for `totalMs`, letting every check finish at each step. */
export async function runFor(
  clock: ManualClock,
  running: { settled(): Promise<void> },
  totalMs: number,
  stepMs: number,
) {
  for (let elapsed = 0; elapsed < totalMs; elapsed += stepMs) {
    await clock.advance(Math.min(stepMs, totalMs - elapsed));
    await running.settled();
  }
}
