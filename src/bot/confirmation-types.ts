import type { APIEmbed } from 'discord.js';

/**
 * What the Context holds of the confirmations (ConfirmationStore in
 * confirmations.ts implements it), on its own so that context.ts does not
 * import confirmations.ts, which reads the Context.
 */

export interface PendingConfirmation {
  invokerId: string;
  kind: string;
  payload: unknown;
  /** The embed shown while asking, reused when the question expires or is cancelled. */
  embed: APIEmbed;
}

export interface Confirmations {
  readonly ttlMs: number;
  /** Stores a question; returns its key. `onExpire` runs when it is still unanswered after `ttlMs`. */
  add(entry: PendingConfirmation, onExpire: () => Promise<void>): string;
  /** The question, left in place. */
  peek(id: string): PendingConfirmation | undefined;
  /** The question, removed (answered). */
  take(id: string): PendingConfirmation | undefined;
}
