import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';
import type { Gates } from './gates.js';
import { DEFAULT_DAILY, type DailyRule } from './streak.js';

const GATE_NAMES = ['gate_account_age_ms', 'gate_member_age_ms'] as const;
const DAILY_NAMES = ['daily_coins', 'daily_streak_bonus', 'daily_streak_max'] as const;

const gatesOf = (values: Map<string, number>): Gates => ({
  accountAgeMs: values.get('gate_account_age_ms') ?? 0,
  memberAgeMs: values.get('gate_member_age_ms') ?? 0,
});

const dailyOf = (values: Map<string, number>): DailyRule => ({
  coins: values.get('daily_coins') ?? DEFAULT_DAILY.coins,
  streakBonus: values.get('daily_streak_bonus') ?? DEFAULT_DAILY.streakBonus,
  streakMax: values.get('daily_streak_max') ?? DEFAULT_DAILY.streakMax,
});

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
    return gatesOf(await this.#numbers(GATE_NAMES));
  }

  async setGates(gates: Gates): Promise<void> {
    await this.#set('gate_account_age_ms', String(gates.accountAgeMs));
    await this.#set('gate_member_age_ms', String(gates.memberAgeMs));
  }

  /** The daily reward of `/claim` (coins 0, the default, disables it). */
  async daily(): Promise<DailyRule> {
    return dailyOf(await this.#numbers(DAILY_NAMES));
  }

  /** The gates and the daily reward together: `/claim` reads both on every click, in one query. */
  async claimRules(): Promise<{ gates: Gates; daily: DailyRule }> {
    const values = await this.#numbers([...GATE_NAMES, ...DAILY_NAMES]);
    return { gates: gatesOf(values), daily: dailyOf(values) };
  }

  async setDaily(rule: DailyRule): Promise<void> {
    await this.#set('daily_coins', String(rule.coins));
    await this.#set('daily_streak_bonus', String(rule.streakBonus));
    await this.#set('daily_streak_max', String(rule.streakMax));
  }

  async #number(name: string, fallback: number): Promise<number> {
    return (await this.#numbers([name])).get(name) ?? fallback;
  }

  /** The named settings that hold a finite number (the others are left out, so their defaults apply). */
  async #numbers(names: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('reward_settings')
      .select(['name', 'value'])
      .where('name', 'in', names)
      .execute();
    const values = new Map<string, number>();
    for (const row of rows) {
      const value = Number(row.value);
      if (Number.isFinite(value)) values.set(row.name, value);
    }
    return values;
  }

  async #set(name: string, value: string): Promise<void> {
    await this.db
      .insertInto('reward_settings')
      .values({ name, value })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ value }))
      .execute();
  }
}
