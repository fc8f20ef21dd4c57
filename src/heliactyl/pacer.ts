import { realClock, type Clock } from '../clock.js';

/**
 * Keeps the bot under the dashboard's rate limit, modelled as measured
 * (notes/heliactyl-behaviour.md): a fixed window per client IP that opens at
 * the first request after the last window closed; every answer carrying
 * `RateLimit-*` headers was counted (401s and 404s too), answers without them
 * (the body parser's 400 and 413) were not, and a request left without an
 * answer may have been. The dashboard's headers are trusted over the bot's
 * own count, since other software on the same IP spends the same budget.
 *
 * The margin: a few requests of each window stay unused, and every window is
 * taken to last longer than the dashboard says, so a bot whose clock runs
 * faster than the dashboard's (or whose request reaches it late) does not
 * start the next window before the dashboard does.
 */

export interface PacerBudget {
  /** The dashboard's limit per window (250). */
  limit: number;
  windowMs: number;
}

export interface PacerMargin {
  /** Share of each window's requests left unused (rounded down). */
  share: number;
  /** Windows are stretched by this fraction (clock rate differences). */
  rate: number;
  /** …plus this much (the dashboard opens its window when the request arrives, after it was sent). */
  ms: number;
}

/** The dashboard's measured limit: 250 requests per 10 minutes. */
export const DEFAULT_BUDGET: PacerBudget = { limit: 250, windowMs: 600_000 };
export const DEFAULT_MAX_WAIT_MS = 2_000;

/** 4 % of the requests (10 of 250), 2 % of the window plus 1 s (13 s of 10 min). */
export const DEFAULT_MARGIN: PacerMargin = { share: 0.04, rate: 0.02, ms: 1_000 };

export interface PacerOptions {
  budget?: PacerBudget;
  margin?: Partial<PacerMargin>;
  /** Longest a call may wait for a free slot before failing fast. */
  maxWaitMs?: number;
  /** Its monotonic time is used: a step of the wall clock must not end a window early. */
  clock?: Clock;
}

/** Thrown by `acquire` when no slot frees within `maxWaitMs`; nothing was sent. */
export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
  constructor(readonly retryAfterMs: number) {
    super(`request budget spent; next slot in ${retryAfterMs} ms`);
  }
}

/** The budget as the pacer sees it now (RequestPacer.outlook). */
export interface BudgetOutlook {
  /** Requests that may go out now. */
  remaining: number;
  /** Requests the bot allows itself per window. */
  perWindow: number;
  /** A window's length, margin included. */
  windowMs: number;
  /** Until the current window ends (or a 429's wait is over); 0 when none is open. */
  resetInMs: number;
}

interface Window {
  /** When the bot may take the dashboard's window to be over (margin included). */
  endsAt: number;
  /** Requests counted in it: the dashboard's word when it gave one, plus the bot's sends since. */
  used: number;
}

export class RequestPacer {
  readonly budget: PacerBudget;
  readonly margin: PacerMargin;
  readonly maxWaitMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #window: Window | undefined;
  /** The dashboard's own limit, once its RateLimit-Limit header said it. */
  #serverLimit: number | undefined;
  /** Sent and not yet answered: the dashboard's last count may not include them. */
  #inFlight = 0;
  #blockedUntil = 0;

  constructor(options: PacerOptions = {}) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
    this.margin = { ...DEFAULT_MARGIN, ...options.margin };
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    const clock = options.clock ?? realClock;
    this.#now = () => clock.now();
    this.#sleep = (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms));
  }

  /** Requests the bot allows itself per window. */
  get cap(): number {
    const limit = Math.min(this.budget.limit, this.#serverLimit ?? Number.POSITIVE_INFINITY);
    return Math.max(1, limit - Math.floor(limit * this.margin.share));
  }

  /**
   * Takes one slot, waiting up to `maxWaitMs` in total for one to free.
   * Throws BudgetExhaustedError (before anything is sent) when none will.
   * Every slot taken must be followed by `observe` (answered) or `abandon`.
   */
  async acquire(): Promise<void> {
    const deadline = this.#now() + this.maxWaitMs;
    for (;;) {
      const now = this.#now();
      const wait = this.#waitMs(now);
      if (wait === 0) {
        this.#window ??= { endsAt: now + this.#stretch(this.budget.windowMs), used: 0 };
        this.#window.used += 1;
        this.#inFlight += 1;
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
    if (this.#blockedUntil > now) return 0;
    return Math.max(0, this.cap - (this.#current(now)?.used ?? 0));
  }

  /** What the budget looks like now, for estimates (a bulk grant's ETA). */
  outlook(): BudgetOutlook {
    const now = this.#now();
    const window = this.#current(now);
    return {
      remaining: this.remaining(),
      perWindow: this.cap,
      windowMs: this.#stretch(this.budget.windowMs),
      resetInMs: Math.max(window ? window.endsAt - now : 0, this.#blockedUntil - now, 0),
    };
  }

  /**
   * How long until `slots` requests may go out together (0: now). Background
   * work (the grant worker) waits for this instead of queueing in `acquire`,
   * so it can keep slots free for moderators.
   */
  msUntilRemaining(slots: number): number {
    const now = this.#now();
    const blocked = Math.max(0, this.#blockedUntil - now);
    const window = this.#current(now);
    if (!window || this.cap - window.used >= slots) return blocked;
    return Math.max(blocked, window.endsAt - now, 1);
  }

  /**
   * An answer arrived. With `RateLimit-Remaining` and `RateLimit-Reset` the
   * dashboard's count and window replace the bot's; without them the request
   * was not counted and its slot comes back.
   */
  observe(headers: Record<string, string>): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    const remaining = Number.parseInt(headers['ratelimit-remaining'] ?? '', 10);
    const resetSeconds = Number.parseInt(headers['ratelimit-reset'] ?? '', 10);
    if (!Number.isFinite(remaining) || !Number.isFinite(resetSeconds)) {
      const window = this.#current(this.#now());
      if (window && window.used > 0) window.used -= 1;
      return;
    }
    const limit = Number.parseInt(headers['ratelimit-limit'] ?? '', 10);
    if (Number.isFinite(limit) && limit > 0) this.#serverLimit = limit;
    const used = (this.#serverLimit ?? this.budget.limit) - remaining;
    this.#window = {
      endsAt: this.#now() + this.#stretch(resetSeconds * 1000),
      used: Math.max(0, used) + this.#inFlight,
    };
  }

  /** No answer (timeout, broken connection): the request may have been counted, so it stays counted. */
  abandon(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** A 429: nothing goes out until the dashboard's Retry-After has passed. */
  block(retryAfterMs: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, this.#now() + this.#stretch(retryAfterMs));
  }

  #stretch(ms: number): number {
    return Math.ceil(ms * (1 + this.margin.rate) + this.margin.ms);
  }

  /** The window still open at `now`, if any. */
  #current(now: number): Window | undefined {
    if (this.#window && this.#window.endsAt <= now) this.#window = undefined;
    return this.#window;
  }

  #waitMs(now: number): number {
    let wait = Math.max(0, this.#blockedUntil - now);
    const window = this.#current(now);
    if (window && window.used >= this.cap) wait = Math.max(wait, window.endsAt - now);
    return wait;
  }
}
