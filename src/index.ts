import { fileURLToPath } from 'node:url';
import { runsShardManager } from './config.js';
import { loadConfigOrExit, processLogger, startOrExit, stopOnSignals } from './process-run.js';
import { startBot } from './bot/start.js';

/**
 * Entry point: `npm start`. One shard: this process is the bot. Above one
 * shard (or SHARD_COUNT=auto): this process is the shard manager, which
 * runs the shard processes (src/shard.ts) and the HTTP server.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = processLogger(config);
  if (runsShardManager(config)) {
    // Loaded only here: a single-process bot does not carry the manager.
    const { startShardManager } = await import('./sharding/manager.js');
    const manager = await startOrExit(config, logger, () => startShardManager(config, logger, shardEntry()));
    stopOnSignals(manager.logger, (signal) => manager.stop(signal));
    return;
  }
  const bot = await startOrExit(config, logger, () => startBot(config, logger));
  // Lines from here on name the shard(s) of this process, like the bot's own.
  stopOnSignals(bot.ctx.logger, () => bot.stop());
}

/**
 * The shard process entry beside this one: compiled JavaScript under
 * `npm start` (dist/src/shard.js, beside dist/src/index.js in the bundle),
 * TypeScript under `npm run dev` (whose loader flags the shard processes
 * inherit through execArgv).
 */
function shardEntry(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`./shard.${extension}`, import.meta.url));
}

void main();
