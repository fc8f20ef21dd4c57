import type { Generated } from 'kysely';
import type { WatchTables } from './watch-schema.js';

/** The relational store's tables, as Kysely sees them (one schema for SQLite and Postgres). */

export const GRANT_STATES = ['queued', 'sending', 'granted', 'failed', 'unknown'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

export interface GrantsTable {
  id: string;
  /** The source's idempotency key (`daily:<user>:<day>`, `api:<token>:<key>`, …): unique. */
  key: string;
  user_id: string;
  coins: number;
  /** daily, role, code, vote, api, bulk, … */
  source: string;
  /** Who or what caused it (a moderator id, a vote provider, an API token's id), JSON. */
  cause: string;
  reason: string | null;
  /** Hash of the request that created it (the grant API answers 409 to another body under the same key). */
  fingerprint: string | null;
  state: GrantState;
  /** Balance read back after the grant; null until read (or when it could not be). */
  balance_after: number | null;
  /** True when the missing-record bug swallowed the add and setcoins completed it. */
  repaired: Generated<number>;
  /** Why it failed or is unknown, in one sentence. */
  detail: string | null;
  /** The worker instance that moved it to `sending`. */
  claimed_by: string | null;
  created_at: number;
  updated_at: number;
  /** When it entered `sending` (ms since the epoch): a stale one is settled as unknown. */
  sending_since: number | null;
  /** Earliest time a waiting grant may be tried again (dashboard down). */
  not_before: Generated<number>;
}

export interface RewardSettingsTable {
  name: string;
  value: string;
}

/** A redeemable code; the code itself is never stored, only its keyed hash and a masked hint. */
export interface RewardCodesTable {
  /** Random, public: shown in `/rewards code list`, part of each redemption's ledger key. */
  id: string;
  code_hash: string;
  /** The first character(s) and the length, e.g. `SU••••••••`. */
  hint: string;
  coins: number;
  uses_total: number;
  uses_count: Generated<number>;
  /** ms since the epoch; null = never expires. */
  expires_at: number | null;
  revoked_at: number | null;
  created_by: string;
  created_at: number;
}

/** A role reward rule: members holding `role_id` may claim `coins` once per `every_ms`. */
export interface RoleRewardsTable {
  role_id: string;
  guild_id: string;
  coins: number;
  every_ms: number;
  updated_at: number;
}

/**
 * The last claim of one reward by one user (`reward` is `daily` or `role:<role id>`).
 * A claim wins by a conditional update of this row, so one click of several pays.
 */
export interface RewardClaimsTable {
  user_id: string;
  reward: string;
  last_claim_at: number;
  /** Consecutive daily claims (1 for role rewards). */
  streak: number;
  /** Ledger key and coins of the last claim (re-enqueued idempotently if a crash lost it). */
  last_key: string;
  last_coins: number;
}

/** A confirmed bulk grant (`/coins grant`) whose one audit entry is posted when every grant is settled. */
export interface BulkBatchesTable {
  batch_id: string;
  invoker_id: string;
  /** The invoker's username when confirmed (the audit names them after a restart too). */
  invoker_name: string;
  /** The members, JSON array of user ids (at most 100). */
  user_ids: string;
  coins: number;
  reason: string;
  created_at: number;
  /** When the audit entry was claimed for posting; null until then. */
  audited_at: number | null;
}

export interface StoreSchema extends WatchTables {
  grants: GrantsTable;
  reward_settings: RewardSettingsTable;
  reward_codes: RewardCodesTable;
  role_rewards: RoleRewardsTable;
  reward_claims: RewardClaimsTable;
  bulk_batches: BulkBatchesTable;
}
