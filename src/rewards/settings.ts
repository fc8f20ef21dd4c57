import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';

/** Reward rules kept in the store (set by `/rewards …` commands; read by the sources). */
export class RewardSettings {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Coins paid for each vote webhook; 0 (the default) disables vote rewards. */
  async voteCoins(): Promise<number> {
    return this.#number('vote_coins', 0);
  }

  async setVoteCoins(coins: number): Promise<void> {
    await this.#set('vote_coins', String(coins));
  }

  async #number(name: string, fallback: number): Promise<number> {
    const row = await this.db
      .selectFrom('reward_settings')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
    const value = Number(row?.value);
    return row && Number.isFinite(value) ? value : fallback;
  }

  async #set(name: string, value: string): Promise<void> {
    await this.db
      .insertInto('reward_settings')
      .values({ name, value })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ value }))
      .execute();
  }
}
