import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startBot } from './bot/start.js';
import { startFailureText } from './start-failure.js';

/** A stopping bot exits by then whatever happens (DESIGN: within 10 s of SIGTERM). */
const STOP_BACKSTOP_MS = 9_500;

/** Entry point: `npm start`. Configuration problems print one line each and exit 1. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig('bot');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Hostlink cannot start — fix the configuration (.env or environment):\n`);
      for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY,
    secrets: [
      config.DISCORD_TOKEN,
      config.HELIACTYL_API_KEY,
      config.ENCRYPTION_KEY,
      ...config.ENCRYPTION_KEY_PREVIOUS,
    ],
  });

  let bot;
  try {
    bot = await startBot(config, logger);
  } catch (error) {
    // The details for whoever asked for them (LOG_LEVEL=debug); the operator reads one plain line.
    logger.debug({ err: error }, 'Hostlink failed to start');
    process.stderr.write(startFailureText(error, config));
    process.exit(1);
  }

  // Lines from here on name the shard(s) of this process, like the bot's own.
  const log = bot.ctx.logger;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down');
    // stop() bounds each of its waits; this is the backstop for one that hangs regardless.
    setTimeout(() => process.exit(0), STOP_BACKSTOP_MS).unref();
    void bot
      .stop()
      .catch((error: unknown) => log.error({ err: error }, 'Error during shutdown'))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'Unhandled promise rejection'));
}

void main();
