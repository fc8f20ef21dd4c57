import type { Clock } from '../../src/clock.js';

interface Sleeper {
  at: number;
  ms: number;
  resolve(): void;
}

/**
 * A clock tests advance by hand (monotonic and wall time are one). Timers
 * fire when time passes their deadline; `nextSleep()` resolves when someone starts sleeping, so a test
 * can wait for "the worker is waiting" as an event.
 */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  #sleepWaiters: Array<(ms: number) => void> = [];

  constructor(start = Date.UTC(2026, 10, 30, 12)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  get sleeping(): number {
    return this.#sleepers.length;
  }

  wallNow(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const sleeper: Sleeper = { at: this.#now + ms, ms, resolve: callback };
    this.#sleepers.push(sleeper);
    const waiters = this.#sleepWaiters;
    this.#sleepWaiters = [];
    for (const waiter of waiters) waiter(ms);
    return sleeper;
  }

  clearTimeout(handle: unknown): void {
    this.#sleepers = this.#sleepers.filter((s) => s !== handle);
  }

  /** Resolves with the duration of the next sleep that starts. */
  nextSleep(): Promise<number> {
    return new Promise((resolve) => this.#sleepWaiters.push(resolve));
  }

  /** Resolves when someone is sleeping (or starts to) for at least `minMs`. */
  async sleepOfAtLeast(minMs: number): Promise<number> {
    for (;;) {
      const current = this.#sleepers.find((s) => s.ms >= minMs);
      if (current) return current.ms;
      const next = await this.nextSleep();
      if (next >= minMs) return next;
    }
  }

  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const sleeper of due) sleeper.resolve();
  }
}
