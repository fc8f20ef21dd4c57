import type { REST } from 'discord.js';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AtomicHostClient } from '../atomichost/client.js';
import type { AtomicHostError } from '../atomichost/errors.js';
import { UserError } from '../errors.js';
import type { StoreSchema } from '../store/schema.js';
import { watchTablesOf } from '../store/watch-view.js';
import { RestDiscordPort } from './discord.js';
import { AtomicHostPort, type KeyStore } from './host.js';
import { SYNC_EVERY_MS, WatchManager } from './manager.js';
import { StoreLease } from './lease.js';
import type { HostPort } from './ports.js';
import { ReminderRunner } from './reminders.js';
import { WatchRepository } from './repository.js';
import { ScheduleRunner } from './scheduler.js';

export interface RunningWatch {
  host: HostPort;
  repo: WatchRepository;
  manager: WatchManager;
  schedules: ScheduleRunner;
  reminders: ReminderRunner;
}

/**
 * Panels, schedules and reminders of this process, started once the Discord
 * REST client exists (like the consoles), on the shared relational store:
 * with several processes on one store, each watched server is polled by
 * exactly one of them.
 */
export class WatchServices {
  #running: RunningWatch | undefined;

  constructor(
    private readonly options: {
      clock: Clock;
      logger: Logger;
      atomichost: AtomicHostClient;
      keys: KeyStore;
      onRevoked: (ownerId: string, error: AtomicHostError) => void;
      /** How often this process looks at the store for unpolled servers and others' panels and schedules. */
      syncEveryMs?: number;
      /** The AtomicHost client's request timeout: bounds how long another process may still be sending a signal. */
      upstreamTimeoutMs?: number;
    },
  ) {}

  /** Starts on the store's tables (the store stays open: its owner closes it after `stop`). */
  async start(rest: REST, store: Kysely<StoreSchema>): Promise<void> {
    const { clock, logger, atomichost, keys, onRevoked, syncEveryMs = SYNC_EVERY_MS } = this.options;
    // Unknown timeout: the longest HTTP_TIMEOUT_MS allows, so a live send is never taken for a dead one.
    const upstreamTimeoutMs = this.options.upstreamTimeoutMs ?? 120_000;
    const db = watchTablesOf(store);
    const repo = new WatchRepository(db);
    const host = new AtomicHostPort(atomichost, keys, onRevoked);
    const deps = { clock, host, discord: new RestDiscordPort(rest), repo, logger };
    const running: RunningWatch = {
      host,
      repo,
      manager: new WatchManager(deps, new StoreLease(db, clock), syncEveryMs),
      schedules: new ScheduleRunner(deps, { syncEveryMs, upstreamTimeoutMs }),
      reminders: new ReminderRunner(deps, { syncEveryMs }),
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

  /**
   * Stops every timer and waits for work in flight. The leases are handed
   * back so another process takes the servers over at once; without
   * `release` (as when the process dies) they run out on their own.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    if (!running) return;
    running.schedules.stop();
    running.reminders.stop();
    await Promise.all([
      running.manager.stop(options),
      running.schedules.settled(),
      running.reminders.settled(),
    ]);
  }
}
