import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { RewardCodesTable, StoreSchema } from '../store/schema.js';
import { maskedHint, type CodeHasher } from './code-secret.js';

/**
 * Reward codes in the store. The plaintext never reaches the store: a code
 * is found by its keyed hash (see code-secret.ts). The total use limit is a
 * property of the store: a use is taken only by a conditional update
 * (`uses_count < uses_total`, not revoked, not expired) that holds across
 * processes, and a check constraint refuses any count past the total.
 */

export interface RewardCode {
  id: string;
  hint: string;
  coins: number;
  usesTotal: number;
  usesCount: number;
  expiresAt: number | null;
  revokedAt: number | null;
  createdBy: string;
  createdAt: number;
}

export interface NewCode {
  /** Already normalised (normalizeCode). */
  code: string;
  coins: number;
  usesTotal: number;
  expiresAt: number | null;
  createdBy: string;
}

/** Why a code cannot be redeemed now, or null when it can. */
export type CodeRefusal = 'revoked' | 'expired' | 'used_up';

type CodeRow = Selectable<RewardCodesTable>;

function toCode(row: CodeRow): RewardCode {
  return {
    id: row.id,
    hint: row.hint,
    coins: Number(row.coins),
    usesTotal: Number(row.uses_total),
    usesCount: Number(row.uses_count),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

export function codeRefusal(code: RewardCode, now: number): CodeRefusal | null {
  if (code.revokedAt !== null) return 'revoked';
  if (code.expiresAt !== null && code.expiresAt <= now) return 'expired';
  if (code.usesCount >= code.usesTotal) return 'used_up';
  return null;
}

/** The ledger key of one member's redemption: the code's id, never its text. */
export function redemptionKey(codeId: string, userId: string): string {
  return `code:${codeId}:${userId}`;
}

export class RewardCodes {
  constructor(
    private readonly db: Kysely<StoreSchema>,
    private readonly hasher: CodeHasher,
  ) {}

  /** Stores a new code; 'duplicate' when a code with the same text exists (even revoked or expired). */
  async create(code: NewCode, now: number): Promise<RewardCode | 'duplicate'> {
    if (await this.find(code.code)) return 'duplicate';
    const id = randomBytes(6).toString('hex');
    const inserted = await this.db
      .insertInto('reward_codes')
      .values({
        id,
        code_hash: this.hasher.hash(code.code),
        hint: maskedHint(code.code),
        coins: code.coins,
        uses_total: code.usesTotal,
        expires_at: code.expiresAt,
        revoked_at: null,
        created_by: code.createdBy,
        created_at: now,
      })
      .onConflict((conflict) => conflict.column('code_hash').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted?.id !== id) return 'duplicate';
    return (await this.get(id))!;
  }

  async get(id: string): Promise<RewardCode | undefined> {
    const row = await this.db.selectFrom('reward_codes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCode(row) : undefined;
  }

  /**
   * The code with this (normalised) text, if any. A code stored under an
   * older encryption key's secret is moved to the current one when found.
   */
  async find(code: string): Promise<RewardCode | undefined> {
    const candidates = this.hasher.candidates(code);
    const row = await this.db
      .selectFrom('reward_codes')
      .selectAll()
      .where('code_hash', 'in', candidates)
      .executeTakeFirst();
    if (!row || !this.hasher.matches(row.code_hash, candidates)) return undefined;
    const current = this.hasher.hash(code);
    if (row.code_hash !== current) {
      await this.db
        .updateTable('reward_codes')
        .set({ code_hash: current })
        .where('id', '=', row.id)
        .where('code_hash', '=', row.code_hash)
        .execute();
    }
    return toCode(row);
  }

  /** Newest first, at most `limit`. */
  async list(limit: number): Promise<RewardCode[]> {
    const rows = await this.db
      .selectFrom('reward_codes')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toCode);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('reward_codes')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** True when this call revoked it (false: unknown or already revoked). */
  async revoke(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('reward_codes')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Takes one use of the code: true for at most `uses_total` callers however
   * many members or processes race, and never for a revoked or expired code.
   */
  async takeUse(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('reward_codes')
      .set((eb) => ({ uses_count: eb('uses_count', '+', 1) }))
      .where('id', '=', id)
      .where((eb) => eb('uses_count', '<', eb.ref('uses_total')))
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives a use back (the member had redeemed it already: no second grant was made). */
  async returnUse(id: string): Promise<void> {
    await this.db
      .updateTable('reward_codes')
      .set((eb) => ({ uses_count: eb('uses_count', '-', 1) }))
      .where('id', '=', id)
      .where('uses_count', '>', 0)
      .execute();
  }
}
