import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Keeps the bot under the dashboard's per-IP limit (250 requests per 10 min,
 * counted before auth). It counts the client's own sends in a sliding window
 * and also trusts what the dashboard says (`RateLimit-Remaining` and
 * `RateLimit-Reset`, or a 429's `Retry-After`), since other software on the
 * same IP spends the same budget.
 */

export interface PacerBudget {
  limit: number;
  windowMs: number;
}

/** 240 leaves headroom under the dashboard's 250 for clock skew and stray requests. */
export const DEFAULT_BUDGET: PacerBudget = { limit: 240, windowMs: 600_000 };
export const DEFAULT_MAX_WAIT_MS = 2_000;

export interface PacerOptions {
  budget?: PacerBudget;
  /** Longest a call may wait for a free slot before failing fast. */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Thrown by `acquire` when no slot frees within `maxWaitMs`; nothing was sent. */
export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
  constructor(readonly retryAfterMs: number) {
    super(`request budget spent; next slot in ${retryAfterMs} ms`);
  }
}

interface ServerView {
  remaining: number;
  resetAt: number;
  /** `#totalSent` when the dashboard spoke; later sends are not in its count. */
  sentBefore: number;
}

export class RequestPacer {
  readonly budget: PacerBudget;
  readonly maxWaitMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  /** Send times inside the window, oldest first. */
  #sent: number[] = [];
  #totalSent = 0;
  #server: ServerView | undefined;
  #blockedUntil = 0;

  constructor(options: PacerOptions = {}) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  /**
   * Takes one slot, waiting up to `maxWaitMs` in total for one to free.
   * Throws BudgetExhaustedError (before anything is sent) when none will.
   */
  async acquire(): Promise<void> {
    const deadline = this.#now() + this.maxWaitMs;
    for (;;) {
      const now = this.#now();
      const wait = this.#waitMs(now);
      if (wait === 0) {
        this.#sent.push(now);
        this.#totalSent += 1;
        return;
      }
      if (now + wait > deadline) throw new BudgetExhaustedError(wait);
      // Loop after waking: a concurrent call may have taken the slot meanwhile.
      await this.#sleep(wait);
    }
  }

  /** Slots usable right now (0 while blocked by a 429 or a spent window). */
  remaining(): number {
    const now = this.#now();
    this.#prune(now);
    if (this.#blockedUntil > now) return 0;
    const local = this.budget.limit - this.#sent.length;
    const server = this.#serverRemaining(now);
    return Math.max(0, server === undefined ? local : Math.min(local, server));
  }

  /** Learns the dashboard's own count from a response's RateLimit-* headers. */
  observe(headers: Record<string, string>): void {
    const remaining = Number.parseInt(headers['ratelimit-remaining'] ?? '', 10);
    const resetSeconds = Number.parseInt(headers['ratelimit-reset'] ?? '', 10);
    if (!Number.isFinite(remaining) || !Number.isFinite(resetSeconds)) return;
    const now = this.#now();
    this.#server = { remaining, resetAt: now + resetSeconds * 1000, sentBefore: this.#totalSent };
  }

  /** A 429: nothing goes out until the dashboard's Retry-After has passed. */
  block(retryAfterMs: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, this.#now() + retryAfterMs);
  }

  #prune(now: number): void {
    const cutoff = now - this.budget.windowMs;
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= cutoff) this.#sent.shift();
    if (this.#server && this.#server.resetAt <= now) this.#server = undefined;
  }

  /** The dashboard's last word, minus what was sent since it spoke. */
  #serverRemaining(now: number): number | undefined {
    const view = this.#server;
    if (!view || view.resetAt <= now) return undefined;
    return view.remaining - (this.#totalSent - view.sentBefore);
  }

  #waitMs(now: number): number {
    this.#prune(now);
    let wait = Math.max(0, this.#blockedUntil - now);
    if (this.#sent.length >= this.budget.limit) {
      const oldest = this.#sent[this.#sent.length - this.budget.limit] ?? now;
      wait = Math.max(wait, oldest + this.budget.windowMs - now);
    }
    const server = this.#serverRemaining(now);
    if (server !== undefined && server <= 0 && this.#server) {
      wait = Math.max(wait, this.#server.resetAt - now);
    }
    return wait;
  }
}
