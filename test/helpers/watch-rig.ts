import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REST } from 'discord.js';
import Keyv from 'keyv';
import type { Kysely } from 'kysely';
import { AtomicHostClient } from '../../src/atomichost/client.js';
import { createLogger } from '../../src/logger.js';
import { KeyVault } from '../../src/vault/vault.js';
import { encryptionKey } from '../../src/vault/crypto.js';
import { openWatchDatabase } from '../../src/watch/database.js';
import { RestDiscordPort } from '../../src/watch/discord.js';
import { AtomicHostPort } from '../../src/watch/host.js';
import { WatchManager } from '../../src/watch/manager.js';
import { InProcessLease } from '../../src/watch/ports.js';
import { WatchRepository } from '../../src/watch/repository.js';
import { ScheduleRunner } from '../../src/watch/scheduler.js';
import { ReminderRunner } from '../../src/watch/reminders.js';
import type { WatchDatabase } from '../../src/watch/schema.js';
import { FakeAtomicHost } from '../fakes/atomichost/index.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscordOptions } from '../fakes/discord/fake-discord.js';
import { ManualClock } from './manual-clock.js';

/** One "process": a manager over the shared SQLite file, with its own database handle. */
export interface WatchProcess {
  manager: WatchManager;
  schedules: ScheduleRunner;
  reminders: ReminderRunner;
  /** Resolves when no check, warning, run or reminder is in progress. */
  settled(): Promise<void>;
  repo: WatchRepository;
  db: Kysely<WatchDatabase>;
  stop(): Promise<void>;
}

/**
 * The watch parts wired to the real fakes over HTTP (fake Discord through
 * @discordjs/rest, fake AtomicHost through the real client), a real key
 * vault and a real SQLite file, on a manual clock.
 */
export async function startWatchRig(
  t: { after(fn: () => Promise<void>): void },
  options: {
    dailyCredits?: number;
    discord?: FakeDiscordOptions;
    logLevel?: 'silent' | 'warn';
    upstreamTimeoutMs?: number;
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
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-watch-'));
  const file = join(dir, 'hostlink.sqlite');
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
    const db = await openWatchDatabase(file);
    const repo = new WatchRepository(db);
    const deps = {
      clock,
      host: new AtomicHostPort(client, vault),
      discord: new RestDiscordPort(rest),
      repo,
      logger,
    };
    const manager = new WatchManager(deps, new InProcessLease());
    const schedules = new ScheduleRunner(deps);
    const reminders = new ReminderRunner(deps);
    await manager.start();
    await schedules.start();
    await reminders.start();
    const settled = async () => {
      await Promise.all([manager.settled(), schedules.settled(), reminders.settled()]);
    };
    const proc: WatchProcess = {
      manager,
      schedules,
      reminders,
      settled,
      repo,
      db,
      async stop() {
        manager.stop();
        schedules.stop();
        reminders.stop();
        await settled();
        await db.destroy();
      },
    };
    processes.push(proc);
    return proc;
  }

  t.after(async () => {
    for (const proc of processes) await proc.stop().catch(() => undefined);
    await client.close();
    await Promise.allSettled([discord.close(), atomichost.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** An AtomicHost account with its key in the vault for a Discord user. */
  async function owner(username: string) {
    const account = atomichost.addAccount({ username });
    const userId = `4${String(account.id).padStart(17, '0')}`;
    await vault.set(userId, account.key);
    return { account, userId };
  }

  return { discord, atomichost, clock, vault, file, logger, startProcess, owner };
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
