import { join } from 'node:path';
import type { REST } from 'discord.js';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AtomicHostClient } from '../atomichost/client.js';
import type { AtomicHostError } from '../atomichost/errors.js';
import { UserError } from '../errors.js';
import { dataFolderFor } from '../vault/key-file.js';
import { openWatchDatabase } from './database.js';
import { RestDiscordPort } from './discord.js';
import { AtomicHostPort, type KeyStore } from './host.js';
import { WatchManager } from './manager.js';
import { InProcessLease, type HostPort } from './ports.js';
import { ReminderRunner } from './reminders.js';
import { WatchRepository } from './repository.js';
import { ScheduleRunner } from './scheduler.js';
import type { WatchDatabase } from './schema.js';

export interface RunningWatch {
  host: HostPort;
  repo: WatchRepository;
  manager: WatchManager;
  schedules: ScheduleRunner;
  reminders: ReminderRunner;
}

/** The SQLite file of STORE_URL, or one beside the key file for other stores. */
export function watchDatabaseFile(storeUrl: string, cwd = process.cwd()): string {
  const match = /^sqlite:\/\/(.+)$/.exec(storeUrl);
  if (match?.[1] && match[1] !== ':memory:') return join(cwd, match[1]);
  return join(dataFolderFor(storeUrl, cwd), 'hostlink.sqlite');
}

/**
 * Panels, schedules and reminders of this process, started once the Discord
 * REST client exists (like the consoles).
 */
export class WatchServices {
  #running: RunningWatch | undefined;
  #db: Kysely<WatchDatabase> | undefined;

  constructor(
    private readonly options: {
      clock: Clock;
      logger: Logger;
      atomichost: AtomicHostClient;
      keys: KeyStore;
      onRevoked: (ownerId: string, error: AtomicHostError) => void;
    },
  ) {}

  async start(rest: REST, databaseFile: string): Promise<void> {
    const { clock, logger, atomichost, keys, onRevoked } = this.options;
    this.#db = await openWatchDatabase(databaseFile);
    const repo = new WatchRepository(this.#db);
    const host = new AtomicHostPort(atomichost, keys, onRevoked);
    const deps = { clock, host, discord: new RestDiscordPort(rest), repo, logger };
    const running: RunningWatch = {
      host,
      repo,
      manager: new WatchManager(deps, new InProcessLease()),
      schedules: new ScheduleRunner(deps),
      reminders: new ReminderRunner(deps),
    };
    await running.manager.start();
    await running.schedules.start();
    await running.reminders.start();
    this.#running = running;
  }

  /** The running parts, or a UserError while they are not started. */
  get running(): RunningWatch {
    if (!this.#running)
      throw new UserError('Server watch is not available right now. Try again in a minute.');
    return this.#running;
  }

  /** Runs `work` if started (gateway events may arrive before or after). */
  async whenRunning(work: (running: RunningWatch) => Promise<unknown>): Promise<void> {
    if (!this.#running) return;
    try {
      await work(this.#running);
    } catch (error) {
      this.options.logger.error({ err: error }, 'Watch event handling failed');
    }
  }

  get clock(): Clock {
    return this.options.clock;
  }

  async stop(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    if (running) {
      running.manager.stop();
      running.schedules.stop();
      running.reminders.stop();
      await Promise.all([
        running.manager.settled(),
        running.schedules.settled(),
        running.reminders.settled(),
      ]);
    }
    await this.#db?.destroy();
  }
}
