import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { startFailureText } from './start-failure.js';

/** A stopping process exits by then whatever happens (DESIGN: within 10 s of SIGTERM). */
export const STOP_BACKSTOP_MS = 9_500;

/** The configuration, or one line per problem on stderr and exit 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig('bot');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Hostlink cannot start — fix the configuration (.env or environment):\n`);
      for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The process's logger, scrubbing every configured secret. */
export function processLogger(config: Config): Logger {
  return createLogger({
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY,
    secrets: [
      config.DISCORD_TOKEN,
      config.HELIACTYL_API_KEY,
      config.ENCRYPTION_KEY,
      ...config.ENCRYPTION_KEY_PREVIOUS,
      ...config.REWARDS_API_TOKENS,
      config.TOPGG_WEBHOOK_SECRET,
      config.DBL_WEBHOOK_SECRET,
    ],
  });
}

/** Runs `start`; a failure prints one plain line (details at debug level) and exits 1. */
export async function startOrExit<T>(config: Config, logger: Logger, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    // The details for whoever asked for them (LOG_LEVEL=debug); the operator reads one plain line.
    logger.debug({ err: error }, 'Hostlink failed to start');
    process.stderr.write(startFailureText(error, config));
    process.exit(1);
  }
}

/**
 * SIGTERM and SIGINT (and any other trigger the caller fires) run `stop`
 * once, then the process exits 0 — by the backstop at the latest.
 */
export function stopOnSignals(
  log: Logger,
  stop: (signal: NodeJS.Signals) => Promise<void>,
): (why: string) => void {
  let stopping = false;
  const shutdown = (why: string, signal: NodeJS.Signals = 'SIGTERM'): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal: why }, 'Shutting down');
    // stop() bounds each of its waits; this is the backstop for one that hangs regardless.
    setTimeout(() => process.exit(0), STOP_BACKSTOP_MS).unref();
    void stop(signal)
      .catch((error: unknown) => log.error({ err: error }, 'Error during shutdown'))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT', 'SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM', 'SIGTERM'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'Unhandled promise rejection'));
  return (why) => shutdown(why);
}
