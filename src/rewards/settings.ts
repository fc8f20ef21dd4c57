import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';
import type { Gates } from './gates.js';
import { DEFAULT_DAILY, type DailyRule } from './streak.js';

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

  /** The anti-alt gates of `/claim` and `/redeem` (0 = off, the default). */
  async gates(): Promise<Gates> {
    const [accountAgeMs, memberAgeMs] = await Promise.all([
      this.#number('gate_account_age_ms', 0),
      this.#number('gate_member_age_ms', 0),
    ]);
    return { accountAgeMs, memberAgeMs };
  }

  async setGates(gates: Gates): Promise<void> {
    await this.#set('gate_account_age_ms', String(gates.accountAgeMs));
    await this.#set('gate_member_age_ms', String(gates.memberAgeMs));
  }

  /** The daily reward of `/claim` (coins 0, the default, disables it). */
  async daily(): Promise<DailyRule> {
    // One query: /claim reads this on every click.
    const rows = await this.db
      .selectFrom('reward_settings')
      .select(['name', 'value'])
      .where('name', 'in', ['daily_coins', 'daily_streak_bonus', 'daily_streak_max'])
      .execute();
    const value = (name: string, fallback: number): number => {
      const row = rows.find((candidate) => candidate.name === name);
      const parsed = Number(row?.value);
      return row && Number.isFinite(parsed) ? parsed : fallback;
    };
    return {
      coins: value('daily_coins', DEFAULT_DAILY.coins),
      streakBonus: value('daily_streak_bonus', DEFAULT_DAILY.streakBonus),
      streakMax: value('daily_streak_max', DEFAULT_DAILY.streakMax),
    };
  }

  async setDaily(rule: DailyRule): Promise<void> {
    await this.#set('daily_coins', String(rule.coins));
    await this.#set('daily_streak_bonus', String(rule.streakBonus));
    await this.#set('daily_streak_max', String(rule.streakMax));
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
