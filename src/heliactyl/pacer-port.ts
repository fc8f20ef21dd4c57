import type { BudgetOutlook } from './pacer.js';

/**
 * What the Heliactyl client needs of a pacer: RequestPacer (one process,
 * in memory) or the shared pacer in src/coordination (several processes,
 * one budget in Redis). The read-only answers may take a round trip.
 */
export interface Pacer {
  /** Takes one slot or throws (BudgetExhaustedError, or why the budget could not be asked) before anything is sent. */
  acquire(): Promise<void>;
  /** An answer arrived, with or without the dashboard's RateLimit-* headers. */
  observe(headers: Record<string, string>): void;
  /** No answer: the request may have been counted. */
  abandon(): void;
  /** A 429: nothing goes out until Retry-After has passed. */
  block(retryAfterMs: number): void;
  /** Slots usable right now. */
  remaining(): number | Promise<number>;
  /** How long until `slots` requests may go out together (0: now). */
  msUntilRemaining(slots: number): number | Promise<number>;
  /** What the budget looks like now, for estimates (a bulk grant's ETA). */
  outlook(): BudgetOutlook | Promise<BudgetOutlook>;
}
