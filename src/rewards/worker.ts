import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { HeliactylClient } from '../heliactyl/client.js';
import { HeliactylError } from '../heliactyl/errors.js';
import { describeHeliactylError } from '../presenter/heliactyl-text.js';
import type { Grant, Ledger, Settlement } from './ledger.js';
import { realClock, type Clock } from '../clock.js';
import { sleepOn } from './clock.js';
import { CoordinationUnavailableError, type Lease } from '../coordination/index.js';

/** Requests one grant may need: addcoins, the balance read back, and setcoins when the add was swallowed. */
export const SLOTS_PER_GRANT = 3;

/** Budget slots the worker leaves to moderator commands by default. */
export const DEFAULT_MODERATOR_RESERVE = 5;

export interface GrantWorkerOptions {
  ledger: Ledger;
  heliactyl: HeliactylClient;
  logger: Logger;
  clock?: Clock;
  /** Budget slots always left to moderator commands (they keep priority over queued grants). */
  moderatorReserve?: number;
  /** How often to look for grants queued by other processes when idle. */
  pollMs?: number;
  /** How long a grant waits after the dashboard could not be reached (nothing was sent). */
  retryDelayMs?: number;
  /** A grant in `sending` this long belongs to a process that stopped: it is settled as unknown. */
  staleSendingMs: number;
  /** Only the holder drains (one worker across processes); default: always this one. */
  lease?: Lease;
  /**
   * Resolves when the process may take up the next grant. The bot passes
   * its after-ack lane, so in a rush of clicks paying waits behind their
   * acknowledgements (the budget is not lost: it refills while waiting).
   */
  waitTurn?: () => Promise<void>;
}

export type GrantListener = (grant: Grant) => void;

/** Dashboard refusals that mean the grant can never apply: failed, not retried. */
const REFUSED = new Set(['unknown_user', 'missing_id', 'invalid_request']);

/**
 * The one worker that drains queued grants, one at a time, under the
 * dashboard's rate budget. A grant is claimed (queued → sending) by a
 * conditional update, so several workers on one store never send a grant
 * twice; anything that may have reached the dashboard becomes `unknown`
 * and stays there until an admin re-checks it.
 */
export class GrantWorker {
  readonly id = `worker-${randomUUID()}`;
  readonly #options: GrantWorkerOptions & { clock: Clock };
  readonly #settledListeners = new Set<GrantListener>();
  readonly #abort = new AbortController();
  #wake: (() => void) | undefined;
  #woken = false;
  #running: Promise<void> | undefined;
  #pausedUntil = 0;
  #leaseProblemLogged = false;

  constructor(options: GrantWorkerOptions) {
    this.#options = { ...options, clock: options.clock ?? realClock };
    options.ledger.onEnqueued(() => this.wake());
  }

  /** Calls `listener` with each grant this worker settles (granted, failed, unknown). */
  onSettled(listener: GrantListener): () => void {
    this.#settledListeners.add(listener);
    return () => this.#settledListeners.delete(listener);
  }

  start(): void {
    this.#running ??= this.#loop().catch((error: unknown) => {
      if (!this.#abort.signal.aborted) this.#options.logger.error({ err: error }, 'Grant worker stopped');
    });
  }

  /** Looks for work now (a grant was enqueued). */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Stops taking grants; the one being sent is finished first. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#running;
    // Another process drains at once instead of after the lease expires.
    await this.#options.lease
      ?.release()
      .catch((error: unknown) =>
        this.#options.logger.warn({ err: error }, 'Could not release the grant worker lease'),
      );
  }

  async #loop(): Promise<void> {
    const { ledger, heliactyl, clock } = this.#options;
    const reserve = this.#options.moderatorReserve ?? DEFAULT_MODERATOR_RESERVE;
    await this.#settleAbandoned();
    while (!this.#abort.signal.aborted) {
      const paused = this.#pausedUntil - clock.now();
      if (paused > 0) {
        await this.#pause(paused);
        continue;
      }
      const poll = this.#options.pollMs ?? 2_000;
      if (!(await this.#holdLease())) {
        await this.#idle(poll);
        continue;
      }
      let budgetWait: number;
      try {
        budgetWait = await heliactyl.budgetWaitMs(SLOTS_PER_GRANT + reserve);
      } catch (error) {
        // The shared budget cannot be read: nothing is sent until it can.
        this.#options.logger.warn({ err: error }, 'The dashboard budget is unavailable: grants wait');
        await this.#pause(this.#options.retryDelayMs ?? 30_000);
        continue;
      }
      if (budgetWait > 0) {
        await this.#pause(budgetWait);
        continue;
      }
      await this.#options.waitTurn?.();
      if (this.#abort.signal.aborted) break;
      this.#woken = false;
      const grant = await ledger.nextQueued();
      if (!grant) {
        await this.#settleAbandoned();
        const wakeAt = await ledger.nextWakeAt();
        await this.#idle(wakeAt === undefined ? poll : Math.min(poll, Math.max(1, wakeAt - clock.wallNow())));
        continue;
      }
      if (!(await ledger.claim(grant.id, this.id))) continue;
      await this.#send(grant);
    }
  }

  /** Whether this worker may drain now (one across processes); a lease that cannot be asked is not held. */
  async #holdLease(): Promise<boolean> {
    const lease = this.#options.lease;
    if (!lease) return true;
    try {
      const held = await lease.hold();
      this.#leaseProblemLogged = false;
      return held;
    } catch (error) {
      if (!this.#leaseProblemLogged)
        this.#options.logger.warn({ err: error }, 'The grant worker lease is unavailable: not draining');
      this.#leaseProblemLogged = true;
      return false;
    }
  }

  /** Waits `ms`, or less when woken by an enqueue or stop. */
  async #idle(ms: number): Promise<void> {
    if (this.#abort.signal.aborted) return;
    if (this.#woken) {
      // Work arrived while the last look was under way: look again.
      this.#woken = false;
      return;
    }
    const local = new AbortController();
    const stop = (): void => local.abort();
    this.#abort.signal.addEventListener('abort', stop, { once: true });
    this.#wake = stop;
    try {
      await sleepOn(this.#options.clock, ms, local.signal);
    } catch {
      // Woken or stopped: either way the loop looks again.
    } finally {
      this.#wake = undefined;
      this.#abort.signal.removeEventListener('abort', stop);
    }
  }

  /** Waits `ms` without being woken by enqueues (the budget, not the queue, is what is missing). */
  async #pause(ms: number): Promise<void> {
    try {
      await sleepOn(this.#options.clock, ms, this.#abort.signal);
    } catch {
      // Stopped.
    }
  }

  async #settleAbandoned(): Promise<void> {
    const settled = await this.#options.ledger.settleAbandoned(this.#options.staleSendingMs);
    for (const grant of settled) {
      this.#options.logger.warn(
        { grantId: grant.id, userId: grant.userId, coins: grant.coins },
        'A grant was interrupted while being sent: marked unknown (an admin re-checks it)',
      );
      this.#emit(grant);
    }
  }

  async #send(grant: Grant): Promise<void> {
    const { heliactyl } = this.#options;
    try {
      await heliactyl.addCoins(grant.userId, grant.coins);
    } catch (error) {
      await this.#addFailed(grant, error);
      return;
    }
    let balance: number | null;
    try {
      balance = (await heliactyl.userInfo(grant.userId)).coins;
    } catch (error) {
      await this.#finish(grant, {
        state: 'unknown',
        detail: `addcoins answered success, but the balance could not be read back (${reason(error)}), so a swallowed grant cannot be ruled out.`,
      });
      return;
    }
    if (balance !== 0) {
      await this.#finish(grant, { state: 'granted', balanceAfter: balance });
      return;
    }
    // The missing-record bug: the add answered success and stored nothing.
    try {
      await heliactyl.setCoins(grant.userId, grant.coins);
      await this.#finish(grant, {
        state: 'granted',
        balanceAfter: grant.coins,
        repaired: true,
        detail: 'The dashboard lost the addcoins (no balance record yet); completed with setcoins.',
      });
    } catch (error) {
      if (
        (error instanceof HeliactylError && !error.mayHaveReachedServer) ||
        error instanceof CoordinationUnavailableError
      ) {
        // Nothing applied yet (refused, or never sent), and the record now exists: sending the add again is safe.
        await this.#requeue(grant, error, 'The dashboard lost the addcoins and the repair was not applied');
        return;
      }
      await this.#finish(grant, {
        state: 'unknown',
        detail: `The dashboard lost the addcoins; the repair (setcoins) may not have applied (${reason(error)}).`,
      });
    }
  }

  async #addFailed(grant: Grant, error: unknown): Promise<void> {
    if (error instanceof CoordinationUnavailableError) {
      // The shared budget could not be asked, so the add was never sent.
      await this.#requeue(grant, error, 'The dashboard budget is unavailable');
      return;
    }
    if (!(error instanceof HeliactylError) || error.mayHaveReachedServer) {
      await this.#finish(grant, {
        state: 'unknown',
        detail: `addcoins may have reached the dashboard (${reason(error)}).`,
      });
      return;
    }
    if (REFUSED.has(error.kind)) {
      await this.#finish(grant, { state: 'failed', detail: describeHeliactylError(error) });
      return;
    }
    await this.#requeue(grant, error, 'The dashboard could not take the grant');
  }

  /** Nothing reached the dashboard: the grant goes back to the queue and the worker waits. */
  async #requeue(
    grant: Grant,
    error: HeliactylError | CoordinationUnavailableError,
    what: string,
  ): Promise<void> {
    const { clock, ledger, logger } = this.#options;
    const retryAfter = error instanceof HeliactylError ? error.retryAfterMs : undefined;
    const delay = retryAfter ?? this.#options.retryDelayMs ?? 30_000;
    this.#pausedUntil = clock.now() + delay;
    await ledger.release(grant.id, this.id, delay, `${what} (${reason(error)}); waiting.`);
    const kind = error instanceof HeliactylError ? error.kind : error.name;
    logger.warn({ grantId: grant.id, kind, delayMs: delay }, `${what}: the grant waits`);
  }

  async #finish(grant: Grant, settlement: Settlement): Promise<void> {
    const settled = await this.#options.ledger.settle(grant.id, this.id, settlement);
    if (settled) this.#emit(settled);
  }

  #emit(grant: Grant): void {
    for (const listener of [...this.#settledListeners]) {
      try {
        listener(grant);
      } catch (error) {
        this.#options.logger.error({ err: error }, 'A grant listener failed');
      }
    }
  }
}

function reason(error: unknown): string {
  if (error instanceof CoordinationUnavailableError) return 'Redis unavailable';
  if (error instanceof HeliactylError) return error.kind + (error.status ? ` HTTP ${error.status}` : '');
  return error instanceof Error ? error.name : 'error';
}
