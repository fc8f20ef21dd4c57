import type { Redis } from 'ioredis';
import { realClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import {
  BudgetExhaustedError,
  DEFAULT_BUDGET,
  DEFAULT_MARGIN,
  DEFAULT_MAX_WAIT_MS,
  type BudgetOutlook,
  type PacerBudget,
  type PacerMargin,
} from '../heliactyl/pacer.js';
import type { Pacer } from '../heliactyl/pacer-port.js';
import { BUDGET_LUA } from './budget-script.js';
import { defineScript, type RedisScript } from './script.js';

export interface SharedPacerOptions {
  redis: Redis;
  logger: Logger;
  budget?: PacerBudget;
  margin?: Partial<PacerMargin>;
  maxWaitMs?: number;
  /** Only for waiting between tries; windows run on Redis's clock. */
  clock?: Clock;
}

/**
 * The dashboard's budget shared by every process on one Redis (see
 * budget-script.ts). Taking a slot needs Redis: while it is unreachable
 * `acquire` throws CoordinationUnavailableError and nothing is sent (the
 * budget is never assumed free). Corrections after a send (observe,
 * abandon, block) are best effort: if they are lost the count stays high,
 * never low, until the window closes.
 */
export class SharedPacer implements Pacer {
  readonly #run: RedisScript;
  readonly #logger: Logger;
  readonly #budget: PacerBudget;
  readonly #margin: PacerMargin;
  readonly #maxWaitMs: number;
  readonly #clock: Clock;

  constructor(options: SharedPacerOptions) {
    this.#run = defineScript(options.redis, 'hostlinkBudget', BUDGET_LUA);
    this.#logger = options.logger;
    this.#budget = options.budget ?? DEFAULT_BUDGET;
    this.#margin = { ...DEFAULT_MARGIN, ...options.margin };
    this.#maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.#clock = options.clock ?? realClock;
  }

  async acquire(): Promise<void> {
    const deadline = this.#clock.now() + this.#maxWaitMs;
    for (;;) {
      const wait = Number(await this.#call('acquire'));
      if (wait === 0) return;
      if (this.#clock.now() + wait > deadline) throw new BudgetExhaustedError(wait);
      // Try again after waking: another process may take the slot meanwhile.
      await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, wait));
    }
  }

  observe(headers: Record<string, string>): void {
    const remaining = Number.parseInt(headers['ratelimit-remaining'] ?? '', 10);
    const resetSeconds = Number.parseInt(headers['ratelimit-reset'] ?? '', 10);
    const limit = Number.parseInt(headers['ratelimit-limit'] ?? '', 10);
    const counted = Number.isFinite(remaining) && Number.isFinite(resetSeconds);
    this.#correct('observe', [
      counted ? remaining : '',
      counted ? this.#stretch(resetSeconds * 1000) : '',
      Number.isFinite(limit) ? limit : '',
    ]);
  }

  abandon(): void {
    this.#correct('abandon', []);
  }

  block(retryAfterMs: number): void {
    this.#correct('block', [this.#stretch(retryAfterMs)]);
  }

  async remaining(): Promise<number> {
    const [remaining] = (await this.#call('peek', [0])) as [number, number];
    return Number(remaining);
  }

  async msUntilRemaining(slots: number): Promise<number> {
    const [, wait] = (await this.#call('peek', [slots])) as [number, number];
    return Number(wait);
  }

  /** The shared window as an estimate (the dashboard's own RateLimit-Limit is not applied to perWindow). */
  async outlook(): Promise<BudgetOutlook> {
    // Asking for more slots than any window holds makes the wait the time until the window closes.
    const [remaining, resetInMs] = (await this.#call('peek', [Number.MAX_SAFE_INTEGER])) as [number, number];
    const { limit, windowMs } = this.#budget;
    return {
      remaining: Number(remaining),
      perWindow: Math.max(1, limit - Math.floor(limit * this.#margin.share)),
      windowMs: this.#stretch(windowMs),
      resetInMs: Number(resetInMs),
    };
  }

  #call(op: string, extra: Array<string | number> = []): Promise<unknown> {
    const { limit, windowMs } = this.#budget;
    return this.#run(
      ['heliactyl:budget'],
      [op, limit, this.#margin.share, this.#stretch(windowMs), ...extra],
    );
  }

  #correct(op: string, extra: Array<string | number>): void {
    this.#call(op, extra).catch((error: unknown) =>
      this.#logger.warn({ err: error, op }, 'Could not update the shared dashboard budget'),
    );
  }

  #stretch(ms: number): number {
    return Math.ceil(ms * (1 + this.#margin.rate) + this.#margin.ms);
  }
}
