import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { plain } from '../text.js';
import { WARN_OFFSETS_MS } from './cost.js';
import { describeInterval } from './duration.js';
import { atWallTime } from './later.js';
import type { DiscordPort, HostPort } from './ports.js';
import type { WatchRepository } from './repository.js';
import type { Schedule } from './types.js';

/** A schedule found late at start runs if it is less late than this, else it is reported missed. */
export const MISSED_AFTER_MS = 5 * 60_000;

/** Added to the upstream timeout: a send older than that cannot still be in flight (see #sendingBoundMs). */
export const SENDING_MARGIN_MS = 60_000;

export interface ScheduleDeps {
  clock: Clock;
  host: HostPort;
  discord: DiscordPort;
  repo: WatchRepository;
  logger: Logger;
}

const VERB: Record<Schedule['signal'], string> = {
  start: 'starting',
  stop: 'stopping',
  restart: 'restarting',
  kill: 'stopping',
};

/** `say Server restarting in 5 minutes` */
export function warningLine(signal: Schedule['signal'], beforeMs: number): string {
  const words = describeInterval(beforeMs)
    .replace(/^1 min$/, '1 minute')
    .replace(/ min$/, ' minutes')
    .replace(/ s$/, ' seconds');
  return `say Server ${VERB[signal]} in ${words}`;
}

/** Warnings only make sense for a server that is up: `start` gets none. */
export function warnsBefore(s: Pick<Schedule, 'signal' | 'warn'>): boolean {
  return s.warn && s.signal !== 'start';
}

/** Scheduled power actions: armed on the clock, stored, run once, reported to their owner. */
export class ScheduleRunner {
  readonly #cancels = new Map<string, Array<() => void>>();
  #work: Promise<unknown> = Promise.resolve();

  #syncTimer: unknown;
  #stopped = false;

  constructor(
    private readonly deps: ScheduleDeps,
    private readonly options: { syncEveryMs: number; upstreamTimeoutMs: number },
  ) {}

  /**
   * How long a send may still be in flight in another process: the signal is
   * one request, never retried (a write), that the AtomicHost client aborts
   * after its timeout; the sender then makes one store update. A minute on top
   * covers that update and clock skew between machines.
   */
  get #sendingBoundMs(): number {
    return this.options.upstreamTimeoutMs + SENDING_MARGIN_MS;
  }

  /** Arms the stored schedules and keeps looking at the store for those of other processes. */
  async start(): Promise<void> {
    await this.#sync();
    this.#armSync();
  }

  /**
   * One look at the store, shared with every other process: pending
   * schedules added elsewhere are armed here too (warnings and the run are
   * claimed in the row, so each happens once whoever arms it), cancelled or
   * finished ones are disarmed, and sends cut off by a process that stopped
   * are settled.
   */
  async #sync(): Promise<void> {
    const { repo, clock } = this.deps;
    for (const s of await repo.sendingSince(clock.wallNow() - this.#sendingBoundMs)) {
      // The signal may have reached AtomicHost: never sent twice. Only one process settles it.
      if (!(await repo.moveSchedule(s.id, 'sending', 'done'))) continue;
      await this.#report(
        s,
        `⚠️ The scheduled **${s.signal}** of **${plain(s.serverName)}** was being sent when Hostlink stopped; it was not sent again. Check the server with \`/server status\`.`,
      );
    }
    // Only what was armed before the read may be disarmed: one added meanwhile is not in it yet.
    const armedBefore = [...this.#cancels.keys()];
    const pending = await repo.schedulesWithStatus(['pending']);
    const ids = new Set(pending.map((s) => s.id));
    for (const id of armedBefore) if (!ids.has(id)) this.#disarm(id);
    for (const s of pending) {
      if (this.#cancels.has(s.id)) continue;
      const late = clock.wallNow() - s.runAt;
      if (late >= MISSED_AFTER_MS) {
        if (!(await repo.moveSchedule(s.id, 'pending', 'missed'))) continue;
        await this.#report(
          s,
          `⏰ The scheduled **${s.signal}** of **${plain(s.serverName)}** at <t:${Math.floor(s.runAt / 1000)}:f> was missed while Hostlink was down (${describeInterval(late)} late), so it was not run.`,
        );
      } else if (late >= 0) {
        this.#track(() => this.#run(s));
      } else {
        this.#arm(s);
      }
    }
  }

  #armSync(): void {
    if (this.#stopped) return;
    this.#syncTimer = this.deps.clock.setTimeout(() => {
      this.#syncTimer = undefined;
      this.#track(() => this.#sync());
      this.#armSync();
    }, this.options.syncEveryMs);
  }

  async add(input: Omit<Schedule, 'id' | 'status' | 'createdAt'>): Promise<Schedule> {
    const s: Schedule = {
      ...input,
      id: randomUUID(),
      status: 'pending',
      createdAt: this.deps.clock.wallNow(),
    };
    await this.deps.repo.addSchedule(s);
    this.#arm(s);
    return s;
  }

  /** Cancels one of the owner's pending schedules; false when it is not (or no longer) pending. */
  async cancel(ownerId: string, id: string): Promise<boolean> {
    const s = await this.deps.repo.schedule(id);
    if (!s || s.ownerId !== ownerId) return false;
    const moved = await this.deps.repo.moveSchedule(id, 'pending', 'cancelled');
    if (moved) this.#disarm(id);
    return moved;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#syncTimer !== undefined) this.deps.clock.clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    for (const id of [...this.#cancels.keys()]) this.#disarm(id);
  }

  /** Resolves when no warning or run is in progress. */
  async settled(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.#work;
      await seen;
    } while (seen !== this.#work);
  }

  #track(work: () => Promise<void>): void {
    const run = this.#work
      .then(work)
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'Scheduled action failed'));
    this.#work = run;
  }

  #arm(s: Schedule): void {
    const { clock } = this.deps;
    const cancels: Array<() => void> = [];
    if (warnsBefore(s)) {
      for (const offset of WARN_OFFSETS_MS) {
        if (s.runAt - offset <= clock.wallNow()) continue;
        cancels.push(atWallTime(clock, s.runAt - offset, () => this.#track(() => this.#warn(s, offset))));
      }
    }
    cancels.push(atWallTime(clock, s.runAt, () => this.#track(() => this.#run(s))));
    this.#cancels.set(s.id, cancels);
  }

  #disarm(id: string): void {
    for (const cancel of this.#cancels.get(id) ?? []) cancel();
    this.#cancels.delete(id);
  }

  async #warn(s: Schedule, offset: number): Promise<void> {
    // Every process arms it: the one that claims it sends it; a later one already claimed means this one is late.
    if (!(await this.deps.repo.claimWarning(s.id, offset))) return;
    const sent = await this.deps.host.command(s.ownerId, s.serverId, warningLine(s.signal, offset));
    if (sent.kind !== 'ok')
      this.deps.logger.info({ id: s.id, kind: sent.kind }, 'A schedule warning was not sent');
  }

  async #run(s: Schedule): Promise<void> {
    this.#cancels.delete(s.id);
    const { repo, host, clock } = this.deps;
    if (!(await repo.startSending(s.id, clock.wallNow()))) return;
    const result = await host.power(s.ownerId, s.serverId, s.signal);
    // Lost only when this send outlived the bound and another process reported it already.
    if (!(await repo.moveSchedule(s.id, 'sending', 'done'))) return;
    const what = `the scheduled **${s.signal}** of **${plain(s.serverName)}**`;
    const text =
      result.kind === 'ok'
        ? `✅ Sent ${what}.`
        : result.kind === 'key-gone'
          ? `❌ Could not send ${what}: your AtomicHost API key was removed or revoked.`
          : result.kind === 'gone'
            ? `❌ Could not send ${what}: the server no longer exists or this key cannot reach it.`
            : result.kind === 'throttled'
              ? `❌ Could not send ${what}: AtomicHost rate limited it. It was not retried.`
              : `⚠️ The outcome of ${what} is unknown (${plain(result.message, 200)}). It was not retried: check with \`/server status\`.`;
    await this.#report(s, text);
  }

  async #report(s: Schedule, content: string): Promise<void> {
    const { discord, logger } = this.deps;
    const sent = s.channelId
      ? await discord.post(s.channelId, { content })
      : await discord.dm(s.ownerId, { content });
    if (!sent.ok) logger.info({ id: s.id, reason: sent.reason }, 'Could not report a scheduled action');
  }
}
