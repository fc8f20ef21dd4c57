import { heliactylConfigured, type Config } from '../config.js';
import type { UpstreamLatency } from '../http/latency.js';
import { HeliactylClient } from './client.js';
import type { Pacer } from './pacer-port.js';

/** What a process adds to the configured client: its metrics, and the budget shared through Redis. */
export interface HeliactylWiring {
  latency?: UpstreamLatency;
  /** The shared pacer (REDIS_URL); else the client paces itself in memory. */
  pacer?: Pacer | undefined;
}

/** The dashboard client of a process (the bot's, or the shard manager's grant worker's); null when not configured. */
export function createHeliactylClient(config: Config, wiring: HeliactylWiring = {}): HeliactylClient | null {
  return heliactylConfigured(config)
    ? new HeliactylClient({
        baseUrl: config.HELIACTYL_URL,
        apiKey: config.HELIACTYL_API_KEY,
        timeoutMs: config.HTTP_TIMEOUT_MS,
        budget: config.HELIACTYL_RATE_LIMIT,
        maxWaitMs: config.HELIACTYL_MAX_WAIT_MS,
        ...(wiring.latency ? { latency: wiring.latency } : {}),
        ...(wiring.pacer ? { pacer: wiring.pacer } : {}),
      })
    : null;
}
