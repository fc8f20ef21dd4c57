import { randomBytes } from 'node:crypto';
import type { Limits } from '../atomichost/limits.js';
import type { ConsoleStats } from '../atomichost/schemas.js';
import type { ConsoleStatus } from './view-embed.js';

/**
 * The contract between a session and the views it feeds, on its own so that
 * session.ts does not import view.ts (view.ts imports session.ts).
 */

/** What a session tells its views besides lines: stream state, power state and resources. */
export interface ViewSnapshot {
  streamState: ConsoleStatus;
  powerState: string | undefined;
  stats: ConsoleStats | undefined;
  limits: Limits | undefined;
}

/** What a session needs of a view it feeds (ConsoleView implements it). */
export interface SessionView {
  readonly isPublic: boolean;
  update(snapshot: ViewSnapshot): void;
  pushLine(display: string): void;
}

/** A short random id for a session or a view. */
export function newId(): string {
  return randomBytes(6).toString('base64url');
}
