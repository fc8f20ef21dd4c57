/**
 * Work the bot has started and must finish before it stops: interaction
 * handlers and audit-channel posts. On shutdown the bot closes the door
 * (`close()`: new interactions are turned away) and waits for what is in
 * flight, bounded, before it disconnects from Discord — so a write that was
 * applied still gets its reply and its audit post.
 */
export class InFlight {
  readonly #tasks = new Set<Promise<unknown>>();
  #closed = false;

  /** True once shutdown began: no new work is taken. */
  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#tasks.size;
  }

  /** Remembers `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#tasks.add(settled);
    void settled.then(() => this.#tasks.delete(settled));
    return work;
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * Waits until nothing is in flight — work started by work in flight (an
   * audit post after a reply) included — or the deadline passes. Resolves
   * with how many tasks were still running then (0: all finished).
   */
  async drain(deadlineMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    try {
      while (this.#tasks.size > 0) {
        const outcome = await Promise.race([Promise.all([...this.#tasks]), late]);
        if (outcome === 'late') break;
      }
      return this.#tasks.size;
    } finally {
      clearTimeout(timer);
    }
  }
}
