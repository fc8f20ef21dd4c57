import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

/**
 * The one store for short-lived interaction state (confirmations, write
 * forms, …): bounded in size (least recently used goes first) and in time
 * (each entry's TTL, read from the Clock), in the Context as `ctx.state` and
 * cleared on stop. A component's custom id is `name:key`; the key finds its
 * state here, so nothing but the key travels through Discord. A key that is
 * unknown or expired reads as undefined: the caller answers "expired — run
 * the command again".
 */

interface Entry {
  value: unknown;
  /** Only this Discord user may take the entry, when set. */
  ownerId?: string;
  timer?: unknown;
}

export const STATE_MAX_ENTRIES = 10_000;
export const STATE_DEFAULT_TTL_MS = 15 * 60_000;

export interface PutOptions {
  ttlMs?: number;
  ownerId?: string;
  /** Called when the TTL ends while the entry is still there (not when taken, deleted or cleared). */
  onExpire?: () => void;
}

export class InteractionState {
  readonly #clock: Clock;
  readonly #cache: LRUCache<string, Entry>;

  constructor(clock: Clock, maxEntries = STATE_MAX_ENTRIES) {
    this.#clock = clock;
    this.#cache = new LRUCache<string, Entry>({
      max: maxEntries,
      ttl: STATE_DEFAULT_TTL_MS,
      // lru-cache reads a start time of 0 as "never set"; a test clock may start at 0.
      perf: { now: () => clock.now() + 1 },
      // Read the clock on every check (the default caches it for 1 ms on a real timer).
      ttlResolution: 0,
      // Evicted, replaced, taken or cleared: its expiry callback must not fire any more.
      dispose: (entry) => {
        if (entry.timer !== undefined) this.#clock.clearTimeout(entry.timer);
      },
    });
  }

  get size(): number {
    return this.#cache.size;
  }

  /** Stores `value` under a new random key within `name`; returns the key (for `name:key`). */
  put(name: string, value: unknown, options: PutOptions = {}): string {
    const key = randomBytes(9).toString('base64url');
    const ttl = options.ttlMs ?? STATE_DEFAULT_TTL_MS;
    const entry: Entry = { value };
    if (options.ownerId !== undefined) entry.ownerId = options.ownerId;
    const id = `${name}:${key}`;
    const { onExpire } = options;
    if (onExpire) {
      entry.timer = this.#clock.setTimeout(() => {
        entry.timer = undefined;
        // Stale by now on a real clock: still this entry, so it expires here.
        if (this.#cache.peek(id, { allowStale: true }) !== entry) return;
        this.#cache.delete(id);
        onExpire();
      }, ttl);
      (entry.timer as { unref?: () => void } | undefined)?.unref?.();
    }
    this.#cache.set(id, entry, { ttl });
    return key;
  }

  /** The value, left in place; undefined when unknown, expired or another user's. */
  get<T>(name: string, key: string, userId?: string): T | undefined {
    const entry = this.#cache.get(`${name}:${key}`);
    if (!entry || (entry.ownerId !== undefined && entry.ownerId !== userId)) return undefined;
    return entry.value as T;
  }

  /** The value, removed; undefined when unknown, expired or another user's (then left in place). */
  take<T>(name: string, key: string, userId?: string): T | undefined {
    const value = this.get<T>(name, key, userId);
    if (value !== undefined) this.#cache.delete(`${name}:${key}`);
    return value;
  }

  delete(name: string, key: string): void {
    this.#cache.delete(`${name}:${key}`);
  }

  /** Forgets everything (on stop): no expiry callback fires afterwards. */
  clear(): void {
    this.#cache.clear();
  }
}
