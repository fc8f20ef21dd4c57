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
 * Who polls a server: one process at a time across every process sharing the
 * store (src/watch/lease.ts). A holder renews it around each check, for as
 * long as its next check is planned.
 */
export interface PollerLease {
  /** Takes the lease when free, expired or already ours; undefined while another process holds it. */
  acquire(serverKey: string): Promise<{ nextCheckAt: number | null } | undefined>;
  /** Keeps the lease until the check planned at `nextCheckAt` is done; false when it was lost. */
  renew(serverKey: string, nextCheckAt: number): Promise<boolean>;
  /** Hands it back (process shutdown): another process may take it at once. */
  release(serverKey: string): Promise<void>;
  /** Deletes it: the server is no longer watched. */
  forget(serverKey: string): Promise<void>;
  /** Servers another live process polls now. */
  heldElsewhere(): Promise<Set<string>>;
}
