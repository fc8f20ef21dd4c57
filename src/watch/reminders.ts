import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { plain } from '../text.js';
import { DAY_MS } from './cost.js';
import { atWallTime } from './later.js';
import type { DiscordPort, HostPort } from './ports.js';
import type { WatchRepository } from './repository.js';
import type { Reminder } from './types.js';

export interface ReminderDeps {
  clock: Clock;
  host: HostPort;
  discord: DiscordPort;
  repo: WatchRepository;
  logger: Logger;
}

/**
 * Renewal reminders: one DM per server and due date, `before` ahead of it.
 * Due dates come from `GET /servers`, read at most once a day per account
 * (one request covers all of that account's servers).
 */
export class ReminderRunner {
  readonly #timers = new Map<string, () => void>();
  #work: Promise<unknown> = Promise.resolve();

  #syncTimer: unknown;
  #stopped = false;

  constructor(
    private readonly deps: ReminderDeps,
    private readonly options: { syncEveryMs: number },
  ) {}

  async start(): Promise<void> {
    await this.#sync();
    this.#armSync();
  }

  /** Owners whose reminders were set in another process get checked here too (the DM is claimed, so sent once). */
  async #sync(): Promise<void> {
    const owners = new Set((await this.deps.repo.reminders()).map((r) => r.ownerId));
    for (const owner of owners) if (!this.#timers.has(owner)) this.#queue(owner);
  }

  #armSync(): void {
    if (this.#stopped) return;
    this.#syncTimer = this.deps.clock.setTimeout(() => {
      this.#syncTimer = undefined;
      this.#work = this.#work
        .then(() => this.#sync())
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'Renewal reminder sync failed'));
      this.#armSync();
    }, this.options.syncEveryMs);
  }

  /** Turns a reminder on (or changes `before`) and checks at once. */
  async set(ownerId: string, serverId: string, serverName: string, beforeMs: number): Promise<void> {
    const existing = (await this.deps.repo.reminders(ownerId)).find((r) => r.serverId === serverId);
    await this.deps.repo.setReminder({
      ownerId,
      serverId,
      serverName,
      beforeMs,
      dueDate: existing?.dueDate ?? null,
      sentForDue: existing?.beforeMs === beforeMs ? (existing?.sentForDue ?? null) : null,
    });
    this.#queue(ownerId);
    await this.settled();
  }

  async off(ownerId: string, serverId: string): Promise<boolean> {
    const removed = await this.deps.repo.removeReminder(ownerId, serverId);
    this.#queue(ownerId);
    return removed;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#syncTimer !== undefined) this.deps.clock.clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  async settled(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.#work;
      await seen;
    } while (seen !== this.#work);
  }

  #queue(ownerId: string): void {
    this.#work = this.#work
      .then(() => this.#evaluate(ownerId))
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'Renewal reminder check failed'));
  }

  async #evaluate(ownerId: string): Promise<void> {
    const { repo, host, clock, discord } = this.deps;
    this.#timers.get(ownerId)?.();
    this.#timers.delete(ownerId);
    let reminders = await repo.reminders(ownerId);
    if (reminders.length === 0) return;
    // One process reads the account's due dates per day; the others use what it stored.
    if (await repo.claimAccountCheck(ownerId, clock.wallNow(), DAY_MS)) {
      const read = await host.servers(ownerId);
      if (read.kind === 'ok') {
        for (const r of reminders) {
          const server = read.servers.find((s) => String(s.id) === r.serverId);
          await repo.setReminderDue(ownerId, r.serverId, server?.due_date ?? null);
        }
        reminders = await repo.reminders(ownerId);
      }
    }
    let next = ((await repo.accountCheckedAt(ownerId)) ?? clock.wallNow()) + DAY_MS;
    for (const r of reminders) {
      const due = r.dueDate ? Date.parse(r.dueDate) : NaN;
      if (!r.dueDate || Number.isNaN(due) || r.sentForDue === r.dueDate) continue;
      const sendAt = due - r.beforeMs;
      if (clock.wallNow() >= sendAt && clock.wallNow() < due) {
        // Claimed before it is sent: one DM per due date, whichever process gets here.
        if (!(await repo.claimReminder(ownerId, r.serverId, r.dueDate))) continue;
        const sent = await discord.dm(ownerId, { content: reminderText(r, due) });
        if (!sent.ok) await repo.unclaimReminder(ownerId, r.serverId, r.dueDate);
      } else if (sendAt > clock.wallNow()) {
        next = Math.min(next, sendAt);
      }
    }
    this.#timers.set(
      ownerId,
      atWallTime(clock, next, () => this.#queue(ownerId)),
    );
  }
}

function reminderText(r: Reminder, due: number): string {
  return `⏳ **${plain(r.serverName)}** is due for renewal <t:${Math.floor(due / 1000)}:R> (<t:${Math.floor(due / 1000)}:f>). Renew it on AtomicHost to keep it running. (Stop these with \`/server remind before:off\`.)`;
}
