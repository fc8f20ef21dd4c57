/**
 * Whether this process is connected to Discord, per shard: what `/readyz`
 * reports. It changes only on transitions, so each loss and each return is
 * seen (and logged) once however many reconnect attempts happen between.
 */

export interface ShardConnection {
  connected: boolean;
  /** When the current state began (ms since the epoch). */
  since: number;
  /** Close code of the last loss, when known. */
  lastCloseCode?: number;
}

export type Transition =
  | { kind: 'lost'; shardId: number }
  | { kind: 'back'; shardId: number; downForMs: number }
  | { kind: 'unchanged' };

export class Readiness {
  readonly #shards = new Map<number, ShardConnection>();
  readonly #listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when at least one shard is known and every known shard is connected. */
  get discordConnected(): boolean {
    if (this.#shards.size === 0) return false;
    for (const shard of this.#shards.values()) if (!shard.connected) return false;
    return true;
  }

  shard(shardId: number): Readonly<ShardConnection> | undefined {
    return this.#shards.get(shardId);
  }

  /** Every known shard, for /readyz and /metrics. */
  snapshot(): Array<{ shardId: number } & ShardConnection> {
    return [...this.#shards.entries()].map(([shardId, state]) => ({ shardId, ...state }));
  }

  connected(shardId: number): Transition {
    const previous = this.#shards.get(shardId);
    if (previous?.connected) return { kind: 'unchanged' };
    const now = this.now();
    this.#shards.set(shardId, { connected: true, since: now });
    this.#changed();
    return previous ? { kind: 'back', shardId, downForMs: now - previous.since } : { kind: 'unchanged' };
  }

  disconnected(shardId: number, closeCode?: number): Transition {
    const previous = this.#shards.get(shardId);
    if (previous && !previous.connected) return { kind: 'unchanged' };
    this.#shards.set(shardId, {
      connected: false,
      since: this.now(),
      ...(closeCode === undefined ? {} : { lastCloseCode: closeCode }),
    });
    this.#changed();
    // A shard never connected has nothing to lose: only a drop after a connection counts.
    return previous ? { kind: 'lost', shardId } : { kind: 'unchanged' };
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
