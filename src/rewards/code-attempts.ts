import { LRUCache } from 'lru-cache';

/**
 * Wrong codes per member, so `/redeem` cannot be used to guess short codes:
 * after `maxFailures` wrong codes within `windowMs` (counted from the first),
 * a member is refused until the window ends. In memory, per process: a
 * guard against guessing by hand or script, not an accounting record.
 */
export class CodeAttempts {
  readonly #failures: LRUCache<string, { count: number; since: number }>;

  constructor(
    private readonly options: { maxFailures: number; windowMs: number; now: () => number },
    maxMembers = 10_000,
  ) {
    this.#failures = new LRUCache({ max: maxMembers });
  }

  /** When the member may try again (ms since the epoch), or null when they may now. */
  blockedUntil(userId: string): number | null {
    const entry = this.#current(userId);
    return entry && entry.count >= this.options.maxFailures ? entry.since + this.options.windowMs : null;
  }

  recordFailure(userId: string): void {
    const entry = this.#current(userId) ?? { count: 0, since: this.options.now() };
    this.#failures.set(userId, { count: entry.count + 1, since: entry.since });
  }

  #current(userId: string): { count: number; since: number } | undefined {
    const entry = this.#failures.get(userId);
    if (entry && entry.since + this.options.windowMs <= this.options.now()) {
      this.#failures.delete(userId);
      return undefined;
    }
    return entry;
  }
}
