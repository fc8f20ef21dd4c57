import { loadConfigOrExit, processLogger, startOrExit, stopOnSignals } from './process-run.js';
import { startBot } from './bot/start.js';

/**
 * Entry point of one shard process, started by the shard manager
 * (src/sharding/manager.ts) with discord.js's SHARDS and SHARD_COUNT: the
 * bot for that shard, without the HTTP server or the grant worker (the
 * manager runs those).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = processLogger(config);
  const bot = await startOrExit(config, logger, () => startBot(config, logger, { underManager: true }));
  const stop = stopOnSignals(bot.ctx.logger, () => bot.stop());
  // The manager is gone (killed, or crashed): stop too, rather than run on unsupervised beside its replacement.
  process.on('disconnect', () => stop('manager gone'));
}

void main();
