import { randomBytes } from 'node:crypto';

/**
 * State a modal needs that does not fit its 100-character custom id (a
 * long path), kept in memory for as long as a user may spend typing. Each
 * entry is bound to the Discord user who opened the form.
 */
export class PendingForms<T> {
  readonly #entries = new Map<string, { userId: string; value: T; expires: number }>();

  constructor(
    readonly ttlMs = 15 * 60_000,
    readonly maxEntries = 10_000,
  ) {}

  add(userId: string, value: T): string {
    this.#sweep();
    const token = randomBytes(9).toString('base64url');
    this.#entries.set(token, { userId, value, expires: Date.now() + this.ttlMs });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return token;
  }

  /** The entry for this user (removed), or undefined when expired, unknown or someone else's. */
  take(token: string, userId: string): T | undefined {
    const entry = this.#entries.get(token);
    if (!entry || entry.expires < Date.now() || entry.userId !== userId) return undefined;
    this.#entries.delete(token);
    return entry.value;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [token, entry] of this.#entries) if (entry.expires < now) this.#entries.delete(token);
  }
}
