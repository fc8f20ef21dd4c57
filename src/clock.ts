/**
 * Time as a port. Every time-driven part (confirmations, consoles, caches,
 * pacers, schedules, watchers, the grant worker) takes a Clock, so tests
 * advance time instead of sleeping (test/helpers/manual-clock.ts).
 */
export interface Clock {
  /** Monotonic milliseconds, for intervals and deadlines. */
  now(): number;
  /** Wall-clock epoch milliseconds, for dates shown or stored. */
  wallNow(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
