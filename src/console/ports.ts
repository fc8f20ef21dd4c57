import type { ConsoleStream } from '../atomichost/console-stream.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { StreamRegistry } from '../coordination/index.js';

/**
 * What the consoles need from the rest of the bot, and nothing more: the
 * manager never sees the Context (which holds the manager), so
 * `context → console → user → context` is no cycle.
 */
export interface ConsolePorts {
  clock: Clock;
  logger: Logger;
  /** Opens a console stream with the user's stored key (looked up at each call: it may have been replaced). */
  openConsole(userId: string, serverId: string): Promise<ConsoleStream>;
  /** Asks AtomicHost whether the user's key still works (`/me`); throws the answer's error if not. */
  checkKey(userId: string): Promise<void>;
  /** The server's name if the user's cache knows it (no API call). */
  serverName(userId: string, serverId: string): string | undefined;
  /** Streams per account counted across processes (REDIS_URL); unset: AtomicHost's own refusal is the count. */
  streams?: StreamRegistry;
}

export interface ConsoleTimings {
  intervalMs: number;
  /** How long a message is edited on one interaction token (Discord: 15 min). */
  messageLifetimeMs: number;
  idleMs: number;
  retryDelayMs: number;
}
