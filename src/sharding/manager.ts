import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { checkDiscord } from '../bot/preflight.js';
import { checkStoreBackend } from '../vault/store.js';
import { createVault } from '../vault/vault.js';
import { openStore } from '../store/database.js';
import { Metrics } from '../server/metrics.js';
import { ShardedMetrics } from './metrics-ipc.js';
import { ShardSupervisor } from './supervisor.js';
import { startManagerServices } from './manager-services.js';

/** Shards get this long to drain and exit 0 before they are killed (the manager's own backstop is later). */
const SHARD_STOP_DEADLINE_MS = 9_000;

export interface RunningShardManager {
  /** The manager's logger (lines carry `shardManager: true`). */
  logger: Logger;
  /** Forwards `signal` to the shards, stops HTTP and the grant worker, closes the store. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Which shards this machine runs, of how many: SHARD_COUNT=auto takes Discord's recommendation. */
export function shardPlan(
  config: Pick<Config, 'SHARD_COUNT' | 'SHARD_IDS'>,
  recommendedShards: number,
): { totalShards: number; shardIds: number[] } {
  const totalShards = config.SHARD_COUNT === 'auto' ? recommendedShards : config.SHARD_COUNT;
  const shardIds = config.SHARD_IDS ?? Array.from({ length: totalShards }, (_, id) => id);
  return { totalShards, shardIds };
}

/**
 * `npm start` with SHARD_COUNT above 1: checks Discord and the store once,
 * migrates the store and prepares the key vault before any shard starts (so
 * shards never race to create tables or a key file), starts the HTTP server
 * and the grant worker, then the shard processes.
 */
export async function startShardManager(
  config: Config,
  baseLogger: Logger,
  /** The shard process entry (src/shard.ts, or its compiled dist/src/shard.js). */
  shardFile: string,
): Promise<RunningShardManager> {
  const logger = baseLogger.child({ shardManager: true });
  await checkStoreBackend(config.STORE_URL);
  const { recommendedShards } = await checkDiscord(config);
  const { totalShards, shardIds } = shardPlan(config, recommendedShards);
  const store = await openStore(config.STORE_URL, process.cwd(), { logger });
  const vault = await createVault(config, logger).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  await vault.has('0');
  await vault.close();

  const metrics = new Metrics();
  const supervisor = new ShardSupervisor({
    file: shardFile,
    execArgv: process.execArgv,
    token: config.DISCORD_TOKEN ?? '',
    totalShards,
    shardIds,
    spawnDelayMs: config.SHARD_SPAWN_DELAY_MS,
    logger,
    registry: metrics.registry,
  });
  const services = await startManagerServices({
    config,
    logger,
    store,
    readiness: supervisor.readiness,
    metrics,
    scrape: new ShardedMetrics(metrics, () => supervisor.shards),
  });
  logger.info(
    { totalShards, shardIds, source: config.SHARD_COUNT === 'auto' ? 'Discord (auto)' : 'SHARD_COUNT' },
    'Hostlink shard manager started',
  );
  await supervisor.start();

  return {
    logger,
    async stop(signal) {
      // No new webhooks or API grants; then shards drain while the grant being sent is finished.
      await services.closeHttp();
      await Promise.all([supervisor.stop(signal, SHARD_STOP_DEADLINE_MS), services.stopWorker()]);
      await store
        .close()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not close the store'));
      logger.info('Hostlink shard manager stopped: every shard process exited, store closed');
    },
  };
}
