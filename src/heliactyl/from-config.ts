import { heliactylConfigured, type Config } from '../config.js';
import { HeliactylClient } from './client.js';

/** The dashboard client of a process (the bot's, or the shard manager's grant worker's); null when not configured. */
export function createHeliactylClient(config: Config): HeliactylClient | null {
  return heliactylConfigured(config)
    ? new HeliactylClient({
        baseUrl: config.HELIACTYL_URL,
        apiKey: config.HELIACTYL_API_KEY,
        timeoutMs: config.HTTP_TIMEOUT_MS,
        budget: config.HELIACTYL_RATE_LIMIT,
        maxWaitMs: config.HELIACTYL_MAX_WAIT_MS,
      })
    : null;
}
