import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';

/** The last claim of one reward (`daily`, `role:<id>`) by one member. */
export interface ClaimRecord {
  at: number;
  streak: number;
  /** The ledger key and coins of that claim. */
  key: string;
  coins: number;
}

/**
 * Claim rows in the store. A claim is recorded by a conditional write that
 * exactly one of several concurrent callers wins (the first by the primary
 * key, later ones by matching the previous claim), across processes too:
 * only the winner enqueues the grant.
 */
export class ClaimState {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Every reward's last claim by `userId`. */
  async all(userId: string): Promise<Map<string, ClaimRecord>> {
    const rows = await this.db
      .selectFrom('reward_claims')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    return new Map(
      rows.map((row) => [
        row.reward,
        {
          at: Number(row.last_claim_at),
          streak: Number(row.streak),
          key: row.last_key,
          coins: Number(row.last_coins),
        },
      ]),
    );
  }

  /**
   * Records `next` as the last claim if `previous` still is (undefined: no
   * claim yet). True for exactly one caller of those that read the same
   * `previous`.
   */
  async record(
    userId: string,
    reward: string,
    previous: ClaimRecord | undefined,
    next: ClaimRecord,
  ): Promise<boolean> {
    const values = {
      last_claim_at: next.at,
      streak: next.streak,
      last_key: next.key,
      last_coins: next.coins,
    };
    if (!previous) {
      const inserted = await this.db
        .insertInto('reward_claims')
        .values({ user_id: userId, reward, ...values })
        .onConflict((conflict) => conflict.columns(['user_id', 'reward']).doNothing())
        .returning('user_id')
        .executeTakeFirst();
      return inserted !== undefined;
    }
    const result = await this.db
      .updateTable('reward_claims')
      .set(values)
      .where('user_id', '=', userId)
      .where('reward', '=', reward)
      .where('last_key', '=', previous.key)
      .where('last_claim_at', '=', previous.at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
