import type { Backup, ServerSummary } from '../atomichost/schemas.js';
import { realClock, type Clock } from '../clock.js';
import { TtlCache } from './cache.js';

export const AUTOCOMPLETE_TTL_MS = 30_000;

/**
 * What the bot remembers per Discord user between commands: their server
 * list (autocomplete and name lookups) and each server's backups. Short-lived
 * and in memory; forgotten when the user's key changes or is removed.
 */
export class UserCaches {
  readonly servers: TtlCache<ServerSummary[]>;
  readonly backups: TtlCache<Backup[]>;

  constructor(clock: Clock = realClock) {
    this.servers = new TtlCache(AUTOCOMPLETE_TTL_MS, 5_000, clock);
    this.backups = new TtlCache(AUTOCOMPLETE_TTL_MS, 5_000, clock);
  }

  backupsKey(discordUserId: string, serverId: string): string {
    return `${discordUserId}:${serverId}`;
  }

  forget(discordUserId: string): void {
    this.servers.delete(discordUserId);
    this.backups.deletePrefix(`${discordUserId}:`);
  }
}
