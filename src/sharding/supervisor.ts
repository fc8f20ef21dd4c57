import { ShardingManager, type Shard } from 'discord.js';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { Readiness } from '../bot/readiness.js';

/** A shard that dies is started again after this long, doubling while it keeps dying, at most 30 s. */
const FIRST_RESPAWN_DELAY_MS = 1_000;
const MAX_RESPAWN_DELAY_MS = 30_000;

/**
 * How long to wait before starting a dead shard again: 1 s after it had
 * been ready, then twice the last wait while it dies before READY, at most 30 s.
 */
export function respawnDelay(previousDelayMs: number | undefined): number {
  return previousDelayMs === undefined
    ? FIRST_RESPAWN_DELAY_MS
    : Math.min(previousDelayMs * 2, MAX_RESPAWN_DELAY_MS);
}

export interface SupervisorOptions {
  /** The compiled shard entry (dist/src/shard.js), run with plain node. */
  file: string;
  /** Node flags for the shard processes (the tsx loader under `npm run dev`). */
  execArgv: string[];
  token: string;
  totalShards: number;
  shardIds: number[];
  spawnDelayMs: number;
  logger: Logger;
  /** Where the shard gauges go (the manager's /metrics). */
  registry: Registry;
}

/**
 * The shard processes of this machine, on discord.js's own ShardingManager
 * (it passes SHARDS/SHARD_COUNT to each child, opens the IPC channel and
 * reports each shard's ready/disconnect/resume). Respawning is done here
 * rather than by discord.js's `respawn: true`, which restarts a crashing
 * shard at once and forever: here it waits, longer each time, up to 30 s.
 */
export class ShardSupervisor {
  /** Whether each shard of this machine is connected to Discord (what /readyz reports). */
  readonly readiness = new Readiness();
  readonly #manager: ShardingManager;
  readonly #options: SupervisorOptions;
  readonly #respawnDelay = new Map<number, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #restarts: Counter<'shard'>;
  #stopping = false;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#manager = new ShardingManager(options.file, {
      totalShards: options.totalShards,
      shardList: options.shardIds,
      mode: 'process',
      respawn: false,
      token: options.token,
      execArgv: options.execArgv,
    });
    // Every shard of this machine counts for /readyz from the start: not connected until it says so.
    for (const id of options.shardIds) this.readiness.disconnected(id);
    this.#restarts = new Counter({
      name: 'hostlink_shard_restarts_total',
      help: 'Shard processes started again after they died',
      labelNames: ['shard'],
      registers: [options.registry],
    });
    const readiness = this.readiness;
    new Gauge({
      name: 'hostlink_shard_connected',
      help: 'Whether each shard of this machine is connected to Discord (1) or not (0)',
      labelNames: ['shard'],
      registers: [options.registry],
      collect() {
        for (const shard of readiness.snapshot())
          this.set({ shard: String(shard.shardId) }, +shard.connected);
      },
    });
    this.#manager.on('shardCreate', (shard) => this.#watch(shard));
  }

  /** The shards of this machine (running or waiting to be respawned). */
  get shards(): Shard[] {
    return [...this.#manager.shards.values()];
  }

  /** Starts every shard process, `spawnDelayMs` apart (Discord's IDENTIFY limit); does not wait for READY. */
  async start(): Promise<void> {
    const { totalShards, spawnDelayMs, shardIds, logger } = this.#options;
    logger.info({ totalShards, shardIds }, 'Starting the shard processes');
    await this.#manager.spawn({ amount: totalShards, delay: spawnDelayMs, timeout: -1 });
  }

  #watch(shard: Shard): void {
    const log = this.#options.logger.child({ shard: shard.id });
    shard.on('spawn', (child) =>
      log.info({ pid: 'pid' in child ? child.pid : undefined }, 'Shard process started'),
    );
    shard.on('ready', () => {
      this.#respawnDelay.delete(shard.id);
      this.readiness.connected(shard.id);
      log.info('Shard ready');
    });
    shard.on('resume', () => this.readiness.connected(shard.id));
    shard.on('reconnecting', () => this.readiness.disconnected(shard.id));
    shard.on('disconnect', () => this.readiness.disconnected(shard.id));
    shard.on('death', (child) => {
      this.readiness.disconnected(shard.id);
      // Process mode: the child is a ChildProcess.
      const exit = 'exitCode' in child ? { exitCode: child.exitCode, signal: child.signalCode } : {};
      if (this.#stopping) {
        log.info(exit, 'Shard process stopped');
        return;
      }
      const delay = respawnDelay(this.#respawnDelay.get(shard.id));
      this.#respawnDelay.set(shard.id, delay);
      log.warn({ ...exit, respawnInMs: delay }, 'Shard process died; starting it again');
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (this.#stopping) return;
        this.#restarts.inc({ shard: String(shard.id) });
        shard
          .spawn(-1)
          .catch((error: unknown) => log.error({ err: error }, 'Could not start the shard again'));
      }, delay);
      this.#timers.add(timer);
    });
    shard.on('error', (error) => log.error({ err: error }, 'Shard process error'));
  }

  /**
   * Forwards `signal` to every shard process (each drains and exits 0 on
   * its own) and resolves when all have exited; one still running after
   * `deadlineMs` is killed.
   */
  async stop(signal: NodeJS.Signals, deadlineMs: number): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    const running = this.shards.flatMap((shard) => (shard.process ? [shard.process] : []));
    const exits = running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill(signal);
        }),
    );
    const deadline = setTimeout(() => {
      for (const child of running)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, deadlineMs);
    try {
      await Promise.all(exits);
    } finally {
      clearTimeout(deadline);
    }
  }
}
