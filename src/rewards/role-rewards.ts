import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';

/** A role reward: members holding the role may claim `coins` once per `everyMs`. */
export interface RoleReward {
  roleId: string;
  guildId: string;
  coins: number;
  everyMs: number;
}

/** At most this many role rewards per server (one line each in `/claim` and `/rewards settings`). */
export const MAX_ROLE_REWARDS = 25;

/** The role reward rules (`/rewards role set|remove`), in the store. */
export class RoleRewards {
  constructor(
    private readonly db: Kysely<StoreSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The rules of one server, by role id. */
  async list(guildId: string): Promise<RoleReward[]> {
    const rows = await this.db
      .selectFrom('role_rewards')
      .selectAll()
      .where('guild_id', '=', guildId)
      .orderBy('role_id')
      .limit(MAX_ROLE_REWARDS)
      .execute();
    return rows.map((row) => ({
      roleId: row.role_id,
      guildId: row.guild_id,
      coins: Number(row.coins),
      everyMs: Number(row.every_ms),
    }));
  }

  /** Adds or replaces the rule of `rule.roleId`; false when the server already has the most rules. */
  async set(rule: RoleReward): Promise<boolean> {
    const existing = await this.list(rule.guildId);
    if (existing.length >= MAX_ROLE_REWARDS && !existing.some((r) => r.roleId === rule.roleId)) return false;
    const values = { coins: rule.coins, every_ms: rule.everyMs, updated_at: this.now() };
    await this.db
      .insertInto('role_rewards')
      .values({ role_id: rule.roleId, guild_id: rule.guildId, ...values })
      .onConflict((conflict) => conflict.column('role_id').doUpdateSet(values))
      .execute();
    return true;
  }

  /** Removes the rule of `roleId` in `guildId`; false when there was none. */
  async remove(guildId: string, roleId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('role_rewards')
      .where('role_id', '=', roleId)
      .where('guild_id', '=', guildId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
