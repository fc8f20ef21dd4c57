import { createHash } from 'node:crypto';
import { realClock, type Clock } from '../clock.js';
/**
 * When to edit one console message. Rules:
 * - at most one edit in flight;
 * - at least `intervalMs` (times the back-off multiplier) from the end of
 *   one edit to the start of the next, so Discord sees edits at least that
 *   far apart however long each one travels;
 * - the payload is built when the edit starts, so output that arrives while
 *   an edit is in flight or waiting goes out in the next one (latest wins);
 * - a payload equal to the last one delivered is not sent;
 * - Discord's rate-limit signals push the next edit back instead of letting
 *   edits queue up inside discord.js: an exhausted bucket (X-RateLimit-
 *   Remaining 0) delays it until the reset, a 429 also doubles the interval
 *   (up to `maxMultiplier`), and so does an edit that takes longer than
 *   `slowMs`. Three clean edits in a row halve the multiplier again.
 */

export { realClock, type Clock };

export interface EditSchedulerOptions<P> {
  intervalMs: number;
  /** Builds the payload from the current state; called when an edit starts. */
  render(): P;
  /** Delivers one edit. */
  send(payload: P): Promise<void>;
  /** A failed send: 'stop' ends the scheduler (the message is gone), 'retry' sends the latest state later. */
  onError?(error: unknown): 'stop' | 'retry';
  clock?: Clock;
  /** An edit slower than this counts as a slow-down signal (default: max(1000, intervalMs)). */
  slowMs?: number;
  maxMultiplier?: number;
  /** Added to every rate-limit wait, against clock skew (default 50 ms). */
  marginMs?: number;
}

export interface SchedulerStats {
  sent: number;
  skippedUnchanged: number;
  failed: number;
  rateLimited: number;
}

export class EditScheduler<P> {
  readonly stats: SchedulerStats = { sent: 0, skippedUnchanged: 0, failed: 0, rateLimited: 0 };
  readonly #options: EditSchedulerOptions<P>;
  readonly #clock: Clock;
  #dirty = false;
  #inFlight = false;
  #timer: unknown;
  #timerAt = 0;
  /** When the last edit finished (the next one is spaced from there). */
  #lastStart = Number.NEGATIVE_INFINITY;
  /**
   * A digest of the last payload delivered. Not the payload's JSON itself:
   * kept from one edit to the next, that string outlived young-generation
   * collections and was the largest thing a busy console promoted to the old heap.
   */
  #lastKey: string | undefined;
  #notBefore = 0;
  #multiplier = 1;
  #cleanStreak = 0;
  #limitedDuringFlight = false;
  #stopped = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: EditSchedulerOptions<P>) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
  }

  get multiplier(): number {
    return this.#multiplier;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** When the next edit may start (clock time). */
  get nextAllowedAt(): number {
    return Math.max(this.#lastStart + this.#options.intervalMs * this.#multiplier, this.#notBefore);
  }

  /** The state changed: an edit will follow as soon as the rules allow. */
  markDirty(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    this.#arm();
  }

  /** Discord answered 429 for this message: wait `retryAfterMs` and slow down. */
  rateLimited(retryAfterMs: number): void {
    this.stats.rateLimited += 1;
    this.#limitedDuringFlight = this.#inFlight;
    this.#multiplier = Math.min(this.#options.maxMultiplier ?? 8, this.#multiplier * 2);
    this.#cleanStreak = 0;
    this.#delayUntil(this.#clock.now() + Math.max(0, retryAfterMs));
  }

  /** The bucket has no requests left until `resetAfterMs` from now. */
  bucketExhausted(resetAfterMs: number): void {
    this.#delayUntil(this.#clock.now() + Math.max(0, resetAfterMs));
  }

  /**
   * Sends the latest state (unless it is already shown) under the same rules,
   * then stops. Resolves once nothing is pending or in flight.
   */
  async finish(): Promise<void> {
    if (this.#stopped) return;
    this.#dirty = true;
    this.#arm();
    await this.#whenIdle();
    this.stop();
  }

  /** No further edits; an edit in flight completes on its own. */
  stop(): void {
    this.#stopped = true;
    this.#dirty = false;
    this.#clearTimer();
    this.#wakeIdle();
  }

  #delayUntil(at: number): void {
    const target = at + (this.#options.marginMs ?? 50);
    if (target <= this.#notBefore) return;
    this.#notBefore = target;
    if (this.#timer !== undefined && this.#timerAt < this.nextAllowedAt) {
      this.#clearTimer();
      this.#arm();
    }
  }

  #arm(): void {
    if (this.#stopped || this.#inFlight || this.#timer !== undefined || !this.#dirty) return;
    const at = this.nextAllowedAt;
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(() => this.#fire(), Math.max(0, at - this.#clock.now()));
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#stopped || this.#inFlight || !this.#dirty) return this.#checkIdle();
    // A rate limit may have arrived after the timer was set.
    if (this.#clock.now() + 1 < this.nextAllowedAt) return this.#arm();
    this.#dirty = false;
    const payload = this.#options.render();
    const key = createHash('sha256').update(JSON.stringify(payload)).digest('base64');
    if (key === this.#lastKey) {
      this.stats.skippedUnchanged += 1;
      return this.#checkIdle();
    }
    this.#inFlight = true;
    this.#limitedDuringFlight = false;
    const started = this.#clock.now();
    this.#lastStart = started;
    this.#options.send(payload).then(
      () => {
        this.#lastStart = this.#clock.now();
        this.stats.sent += 1;
        this.#lastKey = key;
        const slow =
          this.#clock.now() - started > (this.#options.slowMs ?? Math.max(1000, this.#options.intervalMs));
        if (slow && !this.#limitedDuringFlight) {
          this.#multiplier = Math.min(this.#options.maxMultiplier ?? 8, this.#multiplier * 2);
          this.#cleanStreak = 0;
        } else if (!slow && !this.#limitedDuringFlight) {
          this.#cleanStreak += 1;
          if (this.#cleanStreak >= 3 && this.#multiplier > 1) {
            this.#multiplier = Math.max(1, this.#multiplier / 2);
            this.#cleanStreak = 0;
          }
        }
        this.#settle();
      },
      (error: unknown) => {
        this.#lastStart = this.#clock.now();
        this.stats.failed += 1;
        const verdict = this.#options.onError?.(error) ?? 'retry';
        if (verdict === 'stop') {
          this.#inFlight = false;
          this.stop();
          return;
        }
        this.#dirty = true;
        this.#lastKey = undefined;
        this.#settle();
      },
    );
  }

  #settle(): void {
    this.#inFlight = false;
    this.#arm();
    this.#checkIdle();
  }

  #isIdle(): boolean {
    return this.#stopped || (!this.#dirty && !this.#inFlight && this.#timer === undefined);
  }

  #checkIdle(): void {
    if (this.#isIdle()) this.#wakeIdle();
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  #whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}
