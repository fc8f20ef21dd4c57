import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';
import type { Grant, GrantRequest, EnqueueResult } from './ledger.js';
import type { RewardSettings } from './settings.js';
import { gateRefusal } from './gates.js';
import { ClaimState, type ClaimRecord } from './claim-state.js';
import { RoleRewards, type RoleReward } from './role-rewards.js';
import { DAY_MS, dailyCoins, dailyKey, nextStreak, roleKey, type DailyRule } from './streak.js';

/** What `/claim` needs of the rewards core (ctx.rewards). */
export interface ClaimRewardsPort {
  readonly settings: RewardSettings;
  readonly ledger: { getByKey(key: string): Promise<Grant | undefined> };
  enqueue(request: GrantRequest): Promise<EnqueueResult>;
}

export interface ClaimRequest {
  userId: string;
  guildId: string;
  /** The member's role ids, from the interaction. */
  roles: readonly string[];
  /** When the member joined the server (ms), from the interaction; null when not known. */
  joinedAt: number | null;
  /** The time of the click (ms since the epoch). */
  at: number;
}

/** One reward a claim covers: the daily reward or one role's reward. */
export interface RewardSlot {
  /** `daily` or `role:<role id>` (the claim row's name). */
  reward: string;
  roleId: string | null;
  periodMs: number;
}

export interface PaidReward extends RewardSlot {
  coins: number;
  streak: number;
  /** True when an earlier streak ended (more than 48 h since the last daily claim). */
  streakReset: boolean;
  grant: Grant;
  nextAt: number;
}

export interface WaitingReward extends RewardSlot {
  lastAt: number;
  opensAt: number;
  /** Another click of the same member recorded this claim at the same moment. */
  concurrent: boolean;
}

export type ClaimOutcome =
  | { kind: 'refused'; reason: string }
  | {
      kind: 'claimed';
      paid: PaidReward[];
      waiting: WaitingReward[];
      daily: DailyRule;
      /** The server's role rewards the member does not hold (to say what else there is). */
      notHeld: RoleReward[];
    };

/**
 * Pays every reward due to a member now: checks the anti-alt gates, then
 * for the daily reward and each held role's reward records the claim (the
 * conditional write one click wins) and enqueues its grant. The grant
 * worker pays; nothing here waits on the dashboard.
 */
export class ClaimService {
  readonly #state: ClaimState;
  readonly #roles: RoleRewards;

  constructor(
    private readonly rewards: ClaimRewardsPort,
    db: Kysely<StoreSchema>,
  ) {
    this.#state = new ClaimState(db);
    this.#roles = new RoleRewards(db);
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const [{ gates, daily }, rules, claims] = await Promise.all([
      this.rewards.settings.claimRules(),
      this.#roles.list(request.guildId),
      this.#state.all(request.userId),
    ]);
    const refusal = gateRefusal(gates, request, request.at);
    if (refusal) return { kind: 'refused', reason: refusal };

    const held = new Set(request.roles);
    const slots: Array<{ slot: RewardSlot; coins: (streak: number) => number }> = [];
    if (daily.coins > 0)
      slots.push({
        slot: { reward: 'daily', roleId: null, periodMs: DAY_MS },
        coins: (streak) => dailyCoins(daily, streak),
      });
    for (const rule of rules.filter((r) => held.has(r.roleId)))
      slots.push({
        slot: { reward: `role:${rule.roleId}`, roleId: rule.roleId, periodMs: rule.everyMs },
        coins: () => rule.coins,
      });

    const paid: PaidReward[] = [];
    const waiting: WaitingReward[] = [];
    for (const { slot, coins } of slots) {
      const outcome = await this.#claimOne(request, slot, claims.get(slot.reward), coins);
      if ('grant' in outcome) paid.push(outcome);
      else waiting.push(outcome);
    }
    return { kind: 'claimed', paid, waiting, daily, notHeld: rules.filter((r) => !held.has(r.roleId)) };
  }

  async #claimOne(
    request: ClaimRequest,
    slot: RewardSlot,
    last: ClaimRecord | undefined,
    coinsAt: (streak: number) => number,
  ): Promise<PaidReward | WaitingReward> {
    if (last) await this.#repair(request, slot, last);
    if (last && request.at < last.at + slot.periodMs)
      return { ...slot, lastAt: last.at, opensAt: last.at + slot.periodMs, concurrent: false };

    const streak = slot.roleId === null ? nextStreak(last, request.at) : 1;
    const next: ClaimRecord = {
      at: request.at,
      streak,
      key:
        slot.roleId === null
          ? dailyKey(request.userId, request.at)
          : roleKey(slot.roleId, request.userId, slot.periodMs, request.at),
      coins: coinsAt(streak),
    };
    if (!(await this.#state.record(request.userId, slot.reward, last, next))) {
      // Another click (here or in another process) claimed it first: that one pays.
      const winner = (await this.#state.all(request.userId)).get(slot.reward);
      const lastAt = winner?.at ?? request.at;
      return { ...slot, lastAt, opensAt: lastAt + slot.periodMs, concurrent: true };
    }
    const { grant } = await this.rewards.enqueue(this.#grantRequest(request, slot, next));
    return {
      ...slot,
      coins: next.coins,
      streak,
      streakReset: slot.roleId === null && last !== undefined && streak === 1,
      grant,
      nextAt: request.at + slot.periodMs,
    };
  }

  /**
   * A claim recorded but not in the ledger (the process stopped between the
   * two writes) is enqueued now; the key makes this a no-op otherwise.
   */
  async #repair(request: ClaimRequest, slot: RewardSlot, last: ClaimRecord): Promise<void> {
    if (await this.rewards.ledger.getByKey(last.key)) return;
    await this.rewards.enqueue(this.#grantRequest(request, slot, last));
  }

  #grantRequest(request: ClaimRequest, slot: RewardSlot, claim: ClaimRecord): GrantRequest {
    const cause: Record<string, string | number> =
      slot.roleId === null
        ? { guild: request.guildId, streak: claim.streak }
        : { guild: request.guildId, role: slot.roleId };
    return {
      key: claim.key,
      userId: request.userId,
      coins: claim.coins,
      source: slot.roleId === null ? 'daily' : 'role',
      cause,
      reason: slot.roleId === null ? `Daily reward (streak ${claim.streak})` : 'Role reward',
    };
  }
}
