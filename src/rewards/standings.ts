import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';

/**
 * Read-only views over the ledger for `/rewards history` and
 * `/rewards leaderboard` (the same queries on SQLite and Postgres).
 */

export interface Standing {
  userId: string;
  /** Coins granted through Hostlink (state `granted` only). */
  coins: number;
  grants: number;
}

export class Standings {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** How many grants a user has in the ledger, every state. */
  async historyCount(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('grants')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** Top recipients by coins granted, most first (ties: lower user id first, so pages are stable). */
  async leaderboard(limit: number, offset = 0): Promise<Standing[]> {
    const rows = await this.db
      .selectFrom('grants')
      .select((eb) => [
        'user_id',
        eb.fn.sum<number | string>('coins').as('total'),
        eb.fn.countAll<number | string>().as('grants'),
      ])
      .where('state', '=', 'granted')
      .groupBy('user_id')
      .orderBy('total', 'desc')
      .orderBy('user_id')
      .limit(limit)
      .offset(offset)
      .execute();
    // Postgres sums bigints as numeric (a string); SQLite as an integer.
    return rows.map((row) => ({ userId: row.user_id, coins: Number(row.total), grants: Number(row.grants) }));
  }

  /** How many members have been granted anything. */
  async recipientCount(): Promise<number> {
    const row = await this.db
      .selectFrom('grants')
      .select((eb) => eb.fn.count<number | string>('user_id').distinct().as('count'))
      .where('state', '=', 'granted')
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }
}
