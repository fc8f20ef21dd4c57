import type { Config } from '../config.js';
import type { Pacer } from '../heliactyl/pacer-port.js';
import type { Lease } from './lease.js';
import type { StreamRegistry } from './stream-registry.js';

/** AtomicHost's limit of concurrent console streams per account. */
export const STREAMS_PER_ACCOUNT = 3;

/**
 * What must hold across processes, as narrow ports. Without REDIS_URL each
 * port keeps the single-process behaviour (the pacer in memory, the worker
 * always draining, no stream registry: AtomicHost's own refusal stands).
 */
export interface Coordination {
  /** The pacer for the Heliactyl client; undefined = the client's own in-memory one. */
  pacer?: Pacer;
  /** Who drains the grant queue. */
  drainLease: Lease;
  /** Streams per account across processes; undefined with one process. */
  streams?: StreamRegistry;
  /** Whether Redis answers; undefined when there is none (for /readyz). */
  ping(): Promise<boolean | undefined>;
  close(): Promise<void>;
}

export type CoordinationConfig = Pick<
  Config,
  'REDIS_URL' | 'REDIS_PREFIX' | 'REDIS_LEASE_MS' | 'HELIACTYL_RATE_LIMIT' | 'HELIACTYL_MAX_WAIT_MS'
>;
