import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ServerPoller, type PollerDeps } from './poller.js';
import type { StopReason } from './panel.js';
import { renderStopped } from './panel.js';
import type { DiscordPort, HostPort, PollerLease } from './ports.js';
import type { WatchRepository } from './repository.js';
import type { Panel } from './types.js';

export interface WatchRequest {
  ownerId: string;
  serverId: string;
  serverName: string;
  dueDate: string | null;
  guildId: string | null;
  channelId: string;
  intervalMs: number;
  alertRoleId: string | null;
}

export type WatchOutcome = { ok: true; panel: Panel } | { ok: false; reason: StopReason | 'duplicate' };

/**
 * How often each process looks at the store for servers nobody polls (a
 * process died or stopped) and for panels other processes added or stopped.
 */
export const SYNC_EVERY_MS = 30_000;

/**
 * The pollers of this process: one per watched server whose lease it holds,
 * serving every stored panel of that server (whichever process created it).
 * Rebuilt from the store at start, and kept in step with it while running.
 */
export class WatchManager {
  readonly #pollers = new Map<string, ServerPoller>();
  readonly #deps: PollerDeps;
  #syncTimer: unknown;
  /** Syncs and the commands that add or stop panels run one at a time, so a sync never sees half of one. */
  #serial: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(
    deps: { clock: Clock; host: HostPort; discord: DiscordPort; repo: WatchRepository; logger: Logger },
    private readonly lease: PollerLease,
    private readonly syncEveryMs = SYNC_EVERY_MS,
  ) {
    this.#deps = deps;
  }

  get pollerCount(): number {
    return this.#pollers.size;
  }

  /** Takes the servers nobody polls; each first check keeps its planned time or is spread over its interval. */
  async start(): Promise<void> {
    await this.#exclusive(() => this.#sync());
    this.#armSync();
  }

  /** Adds a panel and shows it at once (the first check of a new server, or what its poller knows). */
  watch(request: WatchRequest): Promise<WatchOutcome> {
    return this.#exclusive(() => this.#watch(request));
  }

  async #watch(request: WatchRequest): Promise<WatchOutcome> {
    const { repo } = this.#deps;
    const existing = await repo.panelsOf(request.ownerId, request.serverId);
    if (existing.some((p) => p.channelId === request.channelId)) return { ok: false, reason: 'duplicate' };
    const panel: Panel = {
      id: randomUUID(),
      ownerId: request.ownerId,
      serverId: request.serverId,
      serverName: request.serverName,
      guildId: request.guildId,
      channelId: request.channelId,
      messageId: null,
      intervalMs: request.intervalMs,
      alertRoleId: request.alertRoleId,
      rendered: null,
      createdAt: this.#deps.clock.wallNow(),
    };
    // The server's first panel: whatever a poller remembered of it once is stale (no alert on a first check).
    const first = (await repo.panelsOfServer(request.serverId)).length === 0;
    await repo.addPanel(panel);
    const known = this.#pollers.get(request.serverId);
    // Polled by another process: that one posts the panel at its next look at the store.
    const poller = known ?? (await this.#poller(request.serverId, first))?.poller;
    if (!poller) return { ok: true, panel };
    poller.add(panel);
    if (known) {
      await poller.showNow(panel);
    } else {
      poller.noteDueDate(request.dueDate);
      await poller.checkNow();
    }
    if (panel.stoppedBecause) return { ok: false, reason: panel.stoppedBecause };
    return { ok: true, panel };
  }

  /** Stops the caller's panels of a server; how many stopped. */
  unwatch(ownerId: string, serverId: string): Promise<number> {
    return this.#exclusive(() => this.#unwatch(ownerId, serverId));
  }

  async #unwatch(ownerId: string, serverId: string): Promise<number> {
    const poller = this.#pollers.get(serverId);
    if (poller) return poller.stopPanels('unwatched', (p) => p.ownerId === ownerId);
    // Polled by another process: this one says so on the messages; the poller drops the rows it no longer finds.
    const panels = await this.#deps.repo.panelsOf(ownerId, serverId);
    for (const panel of panels) await this.#stopElsewhere(panel, 'unwatched');
    return panels.length;
  }

  /**
   * A channel was deleted, or the bot left a guild (gateway events): its
   * panels stop now instead of at their next edit, in whichever process
   * polls them. Returns how many stopped.
   */
  channelsGone(reason: 'channel-gone' | 'no-access', which: (panel: Panel) => boolean): Promise<number> {
    return this.#exclusive(() => this.#channelsGone(reason, which));
  }

  async #channelsGone(
    reason: 'channel-gone' | 'no-access',
    which: (panel: Panel) => boolean,
  ): Promise<number> {
    let stopped = 0;
    for (const poller of [...this.#pollers.values()]) stopped += await poller.stopPanels(reason, which);
    for (const panel of await this.#deps.repo.panels()) {
      if (this.#pollers.has(panel.serverId) || !which(panel)) continue;
      await this.#stopElsewhere(panel, reason);
      stopped += 1;
    }
    return stopped;
  }

  /** Resolves once no poller is checking and no sync runs (work started meanwhile is waited for too). */
  async settled(): Promise<void> {
    for (;;) {
      const syncing = this.#serial;
      const pollers = [...this.#pollers.values()];
      const before = pollers.map((p) => p.idle());
      await Promise.all([syncing, ...before]);
      const pollersNow = [...this.#pollers.values()];
      if (
        syncing === this.#serial &&
        pollersNow.length === pollers.length &&
        pollersNow.every((p, i) => p === pollers[i] && p.idle() === before[i])
      )
        return;
    }
  }

  /**
   * Process shutdown: timers stop, panels stay stored, and each lease is
   * handed back so another process takes the server over at once. Without
   * `release` (a process that dies) the leases run out on their own.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    if (this.#syncTimer !== undefined) this.#deps.clock.clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    // A sync or watch in flight may still add a poller: halted below with the others.
    await this.#serial;
    const pollers = [...this.#pollers.values()];
    for (const poller of pollers) poller.halt();
    this.#pollers.clear();
    await Promise.all(pollers.map((p) => p.idle()));
    if (options.release === false) return;
    for (const poller of pollers) {
      await this.lease
        .release(poller.serverId)
        .catch((error: unknown) => this.#deps.logger.warn({ err: error }, 'Could not release a watch lease'));
    }
  }

  #armSync(): void {
    if (this.#stopped) return;
    this.#syncTimer = this.#deps.clock.setTimeout(() => {
      this.#syncTimer = undefined;
      void this.#exclusive(() => this.#sync())
        .catch((error: unknown) => this.#deps.logger.error({ err: error }, 'Watch sync failed'))
        .finally(() => this.#armSync());
    }, this.syncEveryMs);
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(work, work);
    this.#serial = run.catch(() => undefined);
    return run;
  }

  /**
   * One look at the store: panels added or stopped elsewhere reach the
   * pollers here, and servers whose lease is free or expired are taken.
   */
  async #sync(): Promise<void> {
    const { repo } = this.#deps;
    const [panels, heldElsewhere] = await Promise.all([repo.panels(), this.lease.heldElsewhere()]);
    const byServer = new Map<string, Panel[]>();
    for (const panel of panels)
      byServer.set(panel.serverId, [...(byServer.get(panel.serverId) ?? []), panel]);
    for (const poller of [...this.#pollers.values()]) {
      await poller.reconcile(byServer.get(poller.serverId) ?? []);
    }
    const free = [...byServer.keys()].filter((id) => !this.#pollers.has(id) && !heldElsewhere.has(id));
    for (const [index, serverId] of free.entries()) {
      if (this.#stopped) return;
      await this.#adopt(serverId, index / free.length);
    }
  }

  /**
   * Takes a server nobody polls, when its lease is still free. A planned
   * check still ahead keeps its time (one check per interval across a
   * hand-over); otherwise the first check comes at `spread` of the interval.
   */
  async #adopt(serverId: string, spread: number): Promise<void> {
    const taken = await this.#poller(serverId);
    if (!taken) return;
    const { poller, nextCheckAt } = taken;
    // Read again under the lease: the snapshot may predate a panel's stop.
    const panels = await this.#deps.repo.panelsOfServer(serverId);
    if (panels.length === 0) {
      this.#pollers.delete(serverId);
      poller.halt();
      await this.lease.forget(serverId);
      return;
    }
    for (const panel of panels) poller.add(panel);
    const planned = nextCheckAt === null ? -1 : nextCheckAt - this.#deps.clock.wallNow();
    const delay = planned >= 0 ? planned : Math.floor(poller.intervalMs * spread);
    // A check due now starts at once (settled() waits for it), not on a timer of 0.
    if (delay > 0) await poller.plan(delay);
    else void poller.checkNow().catch(() => undefined); // already logged by the poller
  }

  async #poller(
    serverId: string,
    fresh = false,
  ): Promise<{ poller: ServerPoller; nextCheckAt: number | null } | undefined> {
    const taken = await this.lease.acquire(serverId);
    if (!taken) return undefined;
    const memory = fresh ? undefined : await this.#deps.repo.memory(serverId);
    const poller = new ServerPoller(serverId, this.#deps, memory, {
      hold: (nextCheckAt) => this.lease.renew(serverId, nextCheckAt),
      idle: (idle) => {
        if (this.#pollers.get(serverId) === idle) this.#pollers.delete(serverId);
        void this.lease
          .forget(serverId)
          .catch((error: unknown) => this.#deps.logger.warn({ err: error }, 'Could not drop a watch lease'));
      },
      lost: (lost) => {
        if (this.#pollers.get(serverId) === lost) this.#pollers.delete(serverId);
      },
    });
    this.#pollers.set(serverId, poller);
    return { poller, nextCheckAt: taken.nextCheckAt };
  }

  /** Stops a panel another process polls: its row goes, and its message says why where it still can. */
  async #stopElsewhere(panel: Panel, reason: StopReason): Promise<void> {
    const { repo, discord } = this.#deps;
    await repo.removePanel(panel.id);
    if (panel.messageId !== null && reason !== 'channel-gone' && reason !== 'no-access') {
      await discord.edit(panel.channelId, panel.messageId, {
        embeds: [renderStopped(panel.serverName, reason)],
      });
    }
  }
}
