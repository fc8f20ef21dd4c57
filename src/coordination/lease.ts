import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { realClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { defineScript, type RedisScript } from './script.js';

/**
 * A role only one process may have at a time (the grant worker's draining).
 * `hold()` says whether this process has it now, taking it when free.
 */
export interface Lease {
  hold(): Promise<boolean>;
  /** Gives the role up (at shutdown), so another process takes it at once. */
  release(): Promise<void>;
}

/** One process: the role is always this process's. */
export const soleLease: Lease = {
  hold: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};

/** Renews the lease when this process holds it, takes it when nobody does; 1 if held after. */
const HOLD_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`;

/** Deletes the lease only if this process still holds it (owner check). */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisLeaseOptions {
  redis: Redis;
  /** Key of the lease, e.g. `lease:grant-worker`. */
  name: string;
  /** A holder that stops renewing loses the lease this long after its last renewal. */
  leaseMs: number;
  logger: Logger;
  clock?: Clock;
}

/**
 * A lease in Redis: a key holding this process's random token with a TTL,
 * renewed (owner-checked) every third of the lease while held. A process
 * that dies stops renewing, and another takes the role once the key
 * expires. While Redis is unreachable nobody can prove the role, so
 * `hold()` answers false (or throws) and the holder stops after the work
 * in hand — for grants the ledger's claim still rules out a double payment.
 */
export class RedisLease implements Lease {
  readonly #token = randomUUID();
  readonly #hold: RedisScript;
  readonly #release: RedisScript;
  readonly #options: RedisLeaseOptions & { clock: Clock };
  #timer: unknown;
  #released = false;

  constructor(options: RedisLeaseOptions) {
    this.#options = { ...options, clock: options.clock ?? realClock };
    this.#hold = defineScript(options.redis, 'hostlinkLeaseHold', HOLD_LUA);
    this.#release = defineScript(options.redis, 'hostlinkLeaseRelease', RELEASE_LUA);
  }

  async hold(): Promise<boolean> {
    if (this.#released) return false;
    const held = Number(await this.#hold([this.#options.name], [this.#token, this.#options.leaseMs])) === 1;
    if (held) this.#keepAlive();
    else this.#stopKeepAlive();
    return held;
  }

  async release(): Promise<void> {
    this.#released = true;
    this.#stopKeepAlive();
    await this.#release([this.#options.name], [this.#token]);
  }

  #keepAlive(): void {
    if (this.#timer !== undefined) return;
    const { clock, leaseMs, logger, name } = this.#options;
    const renew = (): void => {
      this.#timer = clock.setTimeout(
        () => {
          this.#timer = undefined;
          this.hold().catch((error: unknown) =>
            logger.warn({ err: error, lease: name }, 'Could not renew a lease'),
          );
        },
        Math.max(1, Math.floor(leaseMs / 3)),
      );
    };
    renew();
  }

  #stopKeepAlive(): void {
    if (this.#timer === undefined) return;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
