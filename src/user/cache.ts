import { LRUCache } from 'lru-cache';
import { realClock, type Clock } from '../clock.js';

/**
 * A small in-memory cache with a time to live and a size bound (least
 * recently used entries go first, lru-cache). Used for autocomplete, per
 * Discord user. A stale value is kept (names still resolve) but reported as
 * not fresh, so it is fetched again.
 */
export class TtlCache<V> {
  readonly #entries: LRUCache<string, { value: V; at: number }>;
  readonly #inflight = new Map<string, Promise<V | undefined>>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
    private readonly clock: Clock = realClock,
  ) {
    this.#entries = new LRUCache({ max: maxEntries });
  }

  /** The value and whether it is still fresh; undefined when never stored or evicted. */
  peek(key: string): { value: V; fresh: boolean } | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    return { value: entry.value, fresh: this.clock.now() - entry.at < this.ttlMs };
  }

  set(key: string, value: V): void {
    this.#entries.set(key, { value, at: this.clock.now() });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Deletes every key starting with `prefix`. */
  deletePrefix(prefix: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * A fresh value, or one fetch (shared by concurrent callers) that stores
   * its result when it resolves — even if the caller stopped waiting.
   */
  fetch(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const cached = this.peek(key);
    if (cached?.fresh) return Promise.resolve(cached.value);
    const running = this.#inflight.get(key);
    if (running) return running;
    const promise = load()
      .then((value) => {
        if (value !== undefined) this.set(key, value);
        return value;
      })
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return promise;
  }
}
