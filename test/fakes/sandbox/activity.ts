import type { FakeAtomicHost, FakeService, PowerState } from '../atomichost/index.js';
import { GameLog, type Random } from './game-log.js';

/**
 * Demo mode only: makes the sample game servers feel alive. A running server
 * prints a few log lines per second and reports CPU, memory and disk that
 * drift; a power change prints the boot or shutdown sequence; a command sent
 * to the console gets the server's answer. Tests never start this, so the
 * fakes stay silent and deterministic for them.
 */

export interface ActivityOptions {
  linesPerSecond?: number;
  /** Resource figures are pushed every this many lines. */
  statsEvery?: number;
  random?: Random;
}

interface Tracked {
  service: FakeService;
  log: GameLog;
  state: PowerState;
  commandsSeen: number;
  ticks: number;
  startedAt: number;
}

export class GameServerActivity {
  readonly #tracked: Tracked[];
  readonly #timer: NodeJS.Timeout;
  readonly #statsEvery: number;
  readonly #random: Random;

  constructor(
    private readonly atomichost: FakeAtomicHost,
    services: readonly FakeService[],
    options: ActivityOptions = {},
  ) {
    this.#random = options.random ?? Math.random;
    this.#statsEvery = options.statsEvery ?? 4;
    this.#tracked = services.map((service) => ({
      service,
      log: new GameLog(this.#random),
      state: service.state,
      commandsSeen: service.commands.length,
      ticks: 0,
      startedAt: Date.now() - Math.floor(this.#random() * 3_600_000),
    }));
    this.#timer = setInterval(() => this.#tick(), 1000 / (options.linesPerSecond ?? 3));
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    for (const tracked of this.#tracked) {
      const { service } = tracked;
      const lines: string[] = [];
      if (service.state !== tracked.state) {
        if (service.state === 'running') {
          lines.push(...tracked.log.boot());
          tracked.startedAt = Date.now();
        } else if (tracked.state === 'running') lines.push(...tracked.log.shutdown());
        tracked.state = service.state;
      }
      for (const command of service.commands.slice(tracked.commandsSeen)) {
        if (service.state === 'running') lines.push(...tracked.log.reply(command));
      }
      tracked.commandsSeen = service.commands.length;
      if (service.state === 'running' && lines.length === 0) lines.push(tracked.log.next());
      for (const line of lines) this.atomichost.pushOutput(service.id, line);
      if (tracked.ticks++ % this.#statsEvery === 0) this.#pushStats(tracked);
    }
  }

  #pushStats(tracked: Tracked): void {
    const { service } = tracked;
    const running = service.state === 'running';
    const current = service.resources;
    const limit = current.memory_limit_bytes;
    const drift = (value: number, spread: number, low: number, high: number): number =>
      Math.min(high, Math.max(low, value + (this.#random() - 0.5) * spread));
    this.atomichost.pushStats(service.id, {
      cpu_absolute: running ? Math.round(drift(current.cpu_absolute || 35, 20, 5, 180) * 10) / 10 : 0,
      memory_bytes: running
        ? Math.round(drift(current.memory_bytes || limit / 2, limit / 20, limit / 4, limit * 0.95))
        : 0,
      disk_bytes: Math.round(current.disk_bytes + (running ? this.#random() * 65_536 : 0)),
      network_rx_bytes: current.network_rx_bytes + (running ? Math.round(this.#random() * 200_000) : 0),
      network_tx_bytes: current.network_tx_bytes + (running ? Math.round(this.#random() * 400_000) : 0),
      uptime: running ? Date.now() - tracked.startedAt : 0,
    });
  }
}
