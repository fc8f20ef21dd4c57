import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ServerPoller, type PollerDeps } from './poller.js';
import type { StopReason } from './panel.js';
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
 * Every watched server's poller in this process (one per server, shared by
 * all its panels), rebuilt from the store at start.
 */
export class WatchManager {
  readonly #pollers = new Map<string, ServerPoller>();
  readonly #deps: PollerDeps;

  constructor(
    deps: { clock: Clock; host: HostPort; discord: DiscordPort; repo: WatchRepository; logger: Logger },
    private readonly lease: PollerLease,
  ) {
    this.#deps = deps;
  }

  get pollerCount(): number {
    return this.#pollers.size;
  }

  /** Loads stored panels; each server's first check is spread over its interval. */
  async start(): Promise<void> {
    const panels = await this.#deps.repo.panels();
    const servers = [...new Set(panels.map((p) => p.serverId))];
    for (const [index, serverId] of servers.entries()) {
      const poller = await this.#poller(serverId);
      if (!poller) continue;
      for (const panel of panels.filter((p) => p.serverId === serverId)) poller.add(panel);
      poller.schedule(Math.floor((poller.intervalMs * index) / servers.length));
    }
  }

  /** Adds a panel and shows it at once (the first check of a new server, or what its poller knows). */
  async watch(request: WatchRequest): Promise<WatchOutcome> {
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
    await repo.addPanel(panel);
    const known = this.#pollers.get(request.serverId);
    const poller = known ?? (await this.#poller(request.serverId));
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
  async unwatch(ownerId: string, serverId: string): Promise<number> {
    const poller = this.#pollers.get(serverId);
    if (poller) return poller.stopPanels('unwatched', (p) => p.ownerId === ownerId);
    // Polled by another process: the rows go, that process notices at its next check.
    const panels = await this.#deps.repo.panelsOf(ownerId, serverId);
    for (const panel of panels) await this.#deps.repo.removePanel(panel.id);
    return panels.length;
  }

  /**
   * A channel was deleted, or the bot left a guild (gateway events): its
   * panels stop now instead of at their next edit. Returns how many stopped.
   */
  async channelsGone(
    reason: 'channel-gone' | 'no-access',
    which: (panel: Panel) => boolean,
  ): Promise<number> {
    let stopped = 0;
    for (const poller of [...this.#pollers.values()]) stopped += await poller.stopPanels(reason, which);
    return stopped;
  }

  /** Resolves once no poller is checking (checks started meanwhile are waited for too). */
  async settled(): Promise<void> {
    for (;;) {
      const pollers = [...this.#pollers.values()];
      const before = pollers.map((p) => p.idle());
      await Promise.all(before);
      if ([...this.#pollers.values()].every((p, i) => p.idle() === before[i])) return;
    }
  }

  /** Process shutdown: timers stop, panels stay stored for the next start. */
  stop(): void {
    for (const poller of this.#pollers.values()) poller.halt();
    this.#pollers.clear();
  }

  async #poller(serverId: string): Promise<ServerPoller | undefined> {
    if (!(await this.lease.acquire(serverId))) return undefined;
    const memory = await this.#deps.repo.memory(serverId);
    const poller = new ServerPoller(serverId, this.#deps, memory, (idle) => {
      if (this.#pollers.get(serverId) === idle) this.#pollers.delete(serverId);
      void this.lease.release(serverId);
    });
    this.#pollers.set(serverId, poller);
    return poller;
  }
}
