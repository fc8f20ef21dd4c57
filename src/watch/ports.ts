import type { APIEmbed } from 'discord.js';
import type { Limits } from '../atomichost/limits.js';
import type { PowerSignal, ServerStatus, ServerSummary } from '../atomichost/schemas.js';

/** Why AtomicHost did not answer a read, as far as a watcher cares. */
export type HostFailure =
  | { kind: 'gone' }
  | { kind: 'key-gone'; message: string }
  | { kind: 'throttled'; retryAfterMs?: number; lowCredits: boolean }
  | { kind: 'unreachable'; message: string };

export type HostRead<T> = ({ kind: 'ok'; limits: Limits } & T) | HostFailure;

/**
 * AtomicHost as the watchers use it, always through the stored key of
 * `ownerId` (never anyone else's).
 */
export interface HostPort {
  status(ownerId: string, serverId: string): Promise<HostRead<{ status: ServerStatus }>>;
  server(ownerId: string, serverId: string): Promise<HostRead<{ name: string; dueDate: string | null }>>;
  servers(ownerId: string): Promise<HostRead<{ servers: ServerSummary[] }>>;
  power(ownerId: string, serverId: string, signal: PowerSignal): Promise<HostRead<object>>;
  command(ownerId: string, serverId: string, line: string): Promise<HostRead<object>>;
}

export interface OutMessage {
  content?: string;
  embeds?: APIEmbed[];
  /** Role ids that may be pinged; nobody else ever is. */
  mentionRoles?: string[];
}

export type DiscordOutcome<T = object> =
  | ({ ok: true } & T)
  | { ok: false; reason: 'message-gone' | 'channel-gone' | 'no-access' | 'failed'; message: string };

/** Discord as the watchers use it: channel messages and DMs. */
export interface DiscordPort {
  post(channelId: string, message: OutMessage): Promise<DiscordOutcome<{ id: string }>>;
  edit(channelId: string, messageId: string, message: OutMessage): Promise<DiscordOutcome>;
  delete(channelId: string, messageId: string): Promise<DiscordOutcome>;
  dm(userId: string, message: OutMessage): Promise<DiscordOutcome>;
}

/**
 * Who polls a server. In one process every poller holds its lease; with
 * several processes the shared store will hand each server to exactly one
 * (a later step: only this interface changes hands).
 */
export interface PollerLease {
  acquire(serverKey: string): Promise<boolean>;
  release(serverKey: string): Promise<void>;
}

export class InProcessLease implements PollerLease {
  readonly #held = new Set<string>();
  acquire(serverKey: string): Promise<boolean> {
    if (this.#held.has(serverKey)) return Promise.resolve(false);
    this.#held.add(serverKey);
    return Promise.resolve(true);
  }
  release(serverKey: string): Promise<void> {
    this.#held.delete(serverKey);
    return Promise.resolve();
  }
}
