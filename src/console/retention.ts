import type { Clock } from '../clock.js';

/**
 * Ended messages kept for *Download log*: each for `ttlMs`, at most `max`
 * at once (the oldest forgotten first). `forget` is called when one goes.
 */
export class Retention {
  readonly #timers = new Map<string, unknown>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly forget: (id: string) => void,
  ) {}

  keep(id: string): void {
    this.release(id);
    this.#timers.set(
      id,
      this.clock.setTimeout(() => {
        this.#timers.delete(id);
        this.forget(id);
      }, this.ttlMs),
    );
    while (this.#timers.size > this.max) {
      const [oldest, timer] = this.#timers.entries().next().value as [string, unknown];
      this.clock.clearTimeout(timer);
      this.#timers.delete(oldest);
      this.forget(oldest);
    }
  }

  /** Stops keeping `id` (it went live again) without forgetting it. */
  release(id: string): void {
    this.clock.clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  clear(): void {
    for (const timer of this.#timers.values()) this.clock.clearTimeout(timer);
    this.#timers.clear();
  }
}
