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
  // With the manager gone, discord.js still reports each gateway change over IPC while this process stops;
  // Node raises those failed sends as 'error' events, which must not crash a clean stop.
  process.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_IPC_CHANNEL_CLOSED') return;
    bot.ctx.logger.error({ err: error }, 'Process error');
  });
}

void main();
