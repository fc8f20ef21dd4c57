import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Limits } from '../atomichost/limits.js';
import type { ServerStatus } from '../atomichost/schemas.js';
import { LOW_CREDIT_INTERVAL_MS } from './cost.js';
import { creditsLow } from './host.js';
import {
  MAX_BACKOFF_MS,
  afterDueRead,
  afterFailure,
  afterStatus,
  dueDateStale,
  type AlertFor,
} from './memory.js';
import { renderPanel, renderStopped, type StopReason } from './panel.js';
import type { DiscordPort, HostPort } from './ports.js';
import type { WatchRepository } from './repository.js';
import { EMPTY_MEMORY, type Panel, type PollerMemory } from './types.js';

export interface PollerDeps {
  clock: Clock;
  host: HostPort;
  discord: DiscordPort;
  repo: WatchRepository;
  logger: Logger;
}

/** What a poller tells its manager, and how it keeps its lease. */
export interface PollerHooks {
  /** Keeps this server's lease until a check planned at wall time `nextCheckAt`; false when lost. */
  hold(nextCheckAt: number): Promise<boolean>;
  /** No panel left: the poller stopped for good. */
  idle(poller: ServerPoller): void;
  /** Another process polls the server now: this poller stopped, the panels stay stored. */
  lost(poller: ServerPoller): void;
}

/**
 * One server's poller: checks its status on the clock and keeps every panel
 * of that server current, whichever process created it. Private state: the
 * remembered memory (stored after each check), the panels, the timer. Checks
 * never overlap, and none runs without the server's lease.
 */
export class ServerPoller {
  readonly #panels: Panel[] = [];
  /** Panels this poller stopped: a snapshot of the store taken before that never brings them back. */
  readonly #stoppedIds = new Set<string>();
  #memory: PollerMemory;
  #timer: unknown;
  #busy: Promise<void> = Promise.resolve();
  #stopped = false;
  #lowCredits = false;
  #throttled = 0;
  #status: ServerStatus | null = null;

  constructor(
    readonly serverId: string,
    private readonly deps: PollerDeps,
    memory: PollerMemory | undefined,
    private readonly hooks: PollerHooks,
  ) {
    this.#memory = { ...(memory ?? EMPTY_MEMORY) };
  }

  get panels(): readonly Panel[] {
    return this.#panels;
  }

  /** The shortest interval any panel asked for. */
  get intervalMs(): number {
    return Math.min(...this.#panels.map((p) => p.intervalMs));
  }

  add(panel: Panel): void {
    this.#panels.push(panel);
  }

  /** Knows the due date already (read while asking), so the poller need not pay for it today. */
  noteDueDate(dueDate: string | null): void {
    this.#memory = { ...this.#memory, dueDate, dueCheckedAt: this.deps.clock.wallNow() };
  }

  /** Plans the first check `delayMs` from now; false when the lease was lost meanwhile. */
  async plan(delayMs: number): Promise<boolean> {
    if (!(await this.#hold(delayMs))) {
      this.#lose();
      return false;
    }
    this.schedule(delayMs);
    return true;
  }

  /** Runs a check after `delayMs`. */
  schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) this.deps.clock.clearTimeout(this.#timer);
    this.#timer = this.deps.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#runCheck().catch(() => undefined); // logged by #exclusive
    }, delayMs);
  }

  /** Checks now (a new watch), after any check in flight. */
  checkNow(): Promise<void> {
    if (this.#timer !== undefined) this.deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#runCheck();
  }

  /** A check that failed on the way (the store did not answer) is tried again an interval later. */
  #runCheck(): Promise<void> {
    return this.#exclusive(() => this.#check()).catch((error: unknown) => {
      this.schedule(this.intervalMs);
      throw error;
    });
  }

  /** Posts a panel added to a poller that already knows the state (no credit spent). */
  showNow(panel: Panel): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#memory.lastState === null && !this.#memory.unreachableAlerted) await this.#check();
      else await this.#publish(panel);
    });
  }

  /**
   * Takes this server's stored panels as they are now: other processes add
   * panels (shown here at once when the state is known) and stop them.
   */
  reconcile(stored: readonly Panel[]): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#stopped) return;
      const ids = new Set(stored.map((p) => p.id));
      for (const gone of this.#panels.filter((p) => !ids.has(p.id))) this.#drop(gone);
      const known = this.#memory.lastState !== null || this.#memory.unreachableAlerted;
      for (const panel of stored) {
        if (this.#stoppedIds.has(panel.id) || this.#panels.some((p) => p.id === panel.id)) continue;
        this.#panels.push(panel);
        if (known && panel.messageId === null) await this.#publish(panel);
      }
      await this.#idleIfEmpty();
    });
  }

  /** Stops panels (all, or those matching) with their message saying why. */
  stopPanels(reason: StopReason, which: (p: Panel) => boolean = () => true): Promise<number> {
    return this.#exclusive(() => this.#stopPanels(reason, which));
  }

  /** Resolves when no check of this poller is running. */
  idle(): Promise<void> {
    return this.#busy;
  }

  /** Stops the timer only (process shutdown): panels stay stored. */
  halt(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(work, work);
    this.#busy = run.then(
      () => undefined,
      (error: unknown) =>
        this.deps.logger.error({ err: error, serverId: this.serverId }, 'Watch check failed'),
    );
    return run;
  }

  async #check(): Promise<void> {
    const payer = this.#panels[0];
    if (this.#stopped || !payer) return;
    if (!(await this.#hold(this.intervalMs))) return this.#lose();
    const { clock, host, repo } = this.deps;
    if (dueDateStale(this.#memory, clock.wallNow())) {
      const read = await host.server(payer.ownerId, this.serverId);
      this.#memory = afterDueRead(
        this.#memory,
        read.kind === 'ok' ? read.dueDate : undefined,
        clock.wallNow(),
      );
    }
    const result = await host.status(payer.ownerId, this.serverId);
    let delay = this.intervalMs;
    if (result.kind === 'ok') {
      this.#throttled = 0;
      delay = await this.#onStatus(result.status, result.limits);
    } else if (result.kind === 'gone') {
      await this.#stopPanels('server-gone', () => true);
      return;
    } else if (result.kind === 'key-gone') {
      await this.#stopPanels('key-gone', (p) => p.ownerId === payer.ownerId);
    } else if (result.kind === 'throttled') {
      this.#throttled += 1;
      if (result.lowCredits && !this.#lowCredits) {
        this.#lowCredits = true;
        await this.#publishAll();
      }
      const backoff = Math.min(this.intervalMs * 2 ** this.#throttled, MAX_BACKOFF_MS);
      delay = Math.max(result.retryAfterMs ?? 0, backoff, this.#lowCredits ? LOW_CREDIT_INTERVAL_MS : 0);
    } else {
      delay = await this.#onUnreachable(result.message);
    }
    if (this.#stopped || this.#panels.length === 0) return;
    await repo.saveMemory(this.serverId, this.#memory);
    if (!(await this.#hold(delay))) return this.#lose();
    this.schedule(delay);
  }

  #hold(delayMs: number): Promise<boolean> {
    return this.hooks.hold(this.deps.clock.wallNow() + delayMs);
  }

  #lose(): void {
    this.deps.logger.info({ serverId: this.serverId }, 'Another process polls this server now');
    this.halt();
    this.hooks.lost(this);
  }

  #drop(panel: Panel): void {
    this.#panels.splice(this.#panels.indexOf(panel), 1);
    this.#stoppedIds.add(panel.id);
  }

  async #onStatus(status: ServerStatus, limits: Limits): Promise<number> {
    const name = this.#panels[0]!.serverName;
    const { memory, alert } = afterStatus(this.#memory, status.state, this.deps.clock.wallNow(), name);
    this.#memory = memory;
    this.#status = status;
    this.#lowCredits = creditsLow(limits);
    await this.#publishAll();
    if (alert) await this.#alert(alert);
    return this.#lowCredits ? Math.max(this.intervalMs, LOW_CREDIT_INTERVAL_MS) : this.intervalMs;
  }

  async #onUnreachable(message: string): Promise<number> {
    const name = this.#panels[0]!.serverName;
    const now = this.deps.clock.wallNow();
    const { memory, alert, delayMs } = afterFailure(this.#memory, now, name, this.intervalMs);
    this.#memory = memory;
    this.deps.logger.info(
      { serverId: this.serverId, failures: memory.failures, message },
      'Watched server unreachable',
    );
    if (alert) {
      await this.#publishAll();
      await this.#alert(alert);
    }
    return delayMs;
  }

  #view() {
    const m = this.#memory;
    return renderPanel({
      serverName: this.#panels[0]?.serverName ?? '',
      state: m.lastState,
      unreachable: m.unreachableAlerted,
      stateSince: m.stateSince,
      status: this.#status,
      dueDate: m.dueDate,
      intervalMs: this.intervalMs,
      lowCredits: this.#lowCredits,
    });
  }

  async #publishAll(): Promise<void> {
    for (const panel of [...this.#panels]) await this.#publish(panel);
  }

  /** Posts or edits one panel when what it shows changed; a deleted message is posted afresh. */
  async #publish(panel: Panel): Promise<void> {
    const embed = this.#view();
    const rendered = JSON.stringify(embed);
    if (panel.messageId !== null && panel.rendered === rendered) return;
    const { discord, repo } = this.deps;
    if (panel.messageId !== null) {
      const edited = await discord.edit(panel.channelId, panel.messageId, { embeds: [embed] });
      if (edited.ok) {
        panel.rendered = rendered;
        if (!(await repo.setPanelMessage(panel.id, panel.messageId, rendered)))
          await this.#unwatchedElsewhere(panel);
        return;
      }
      if (edited.reason !== 'message-gone')
        return this.#onDiscordFailure(panel, edited.reason, edited.message);
    }
    const posted = await discord.post(panel.channelId, { embeds: [embed] });
    if (!posted.ok) return this.#onDiscordFailure(panel, posted.reason, posted.message);
    panel.messageId = posted.id;
    panel.rendered = rendered;
    if (!(await repo.setPanelMessage(panel.id, posted.id, rendered))) await this.#unwatchedElsewhere(panel);
  }

  /**
   * The panel was unwatched in another process while this one edited it:
   * its message says so again, and this poller lets it go.
   */
  async #unwatchedElsewhere(panel: Panel): Promise<void> {
    if (!this.#panels.includes(panel)) return;
    this.#drop(panel);
    panel.stoppedBecause = 'unwatched';
    await this.deps.discord.edit(panel.channelId, panel.messageId!, {
      embeds: [renderStopped(panel.serverName, 'unwatched')],
    });
    await this.#idleIfEmpty();
  }

  async #onDiscordFailure(panel: Panel, reason: string, message: string): Promise<void> {
    if (reason === 'channel-gone' || reason === 'no-access') {
      await this.#stopPanels(reason, (p) => p === panel);
      return;
    }
    // Anything else is passing: the panel keeps its old text and is tried again on the next change.
    this.deps.logger.warn({ serverId: this.serverId, reason, message }, 'Could not update a watch panel');
  }

  async #alert(build: AlertFor): Promise<void> {
    for (const panel of [...this.#panels]) {
      const sent = await this.deps.discord.post(panel.channelId, build(panel.alertRoleId));
      if (!sent.ok) await this.#onDiscordFailure(panel, sent.reason, sent.message);
    }
  }

  async #stopPanels(reason: StopReason, which: (p: Panel) => boolean): Promise<number> {
    const stopping = this.#panels.filter(which);
    for (const panel of stopping) {
      this.#drop(panel);
      panel.stoppedBecause = reason;
      // A deleted channel or lost access leaves nothing to edit.
      if (panel.messageId !== null && reason !== 'channel-gone' && reason !== 'no-access') {
        await this.deps.discord.edit(panel.channelId, panel.messageId, {
          embeds: [renderStopped(panel.serverName, reason)],
        });
      }
      await this.deps.repo.removePanel(panel.id);
      this.deps.logger.info({ serverId: this.serverId, reason }, 'Watch panel stopped');
    }
    await this.#idleIfEmpty();
    return stopping.length;
  }

  async #idleIfEmpty(): Promise<void> {
    if (this.#panels.length > 0 || this.#stopped) return;
    this.halt();
    await this.deps.repo.forgetMemory(this.serverId);
    this.hooks.idle(this);
  }
}
