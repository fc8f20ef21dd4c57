import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { GrantState, GrantsTable, StoreSchema } from '../store/schema.js';

/**
 * The durable rewards ledger: one row per grant, keyed by its source's
 * idempotency key. Exactly-once is a property of the store: the key is
 * unique (a second enqueue returns the first row) and a grant moves from
 * `queued` to `sending` only by a conditional update that one worker wins.
 */

export type GrantRow = Selectable<GrantsTable>;

export interface Grant {
  id: string;
  key: string;
  userId: string;
  coins: number;
  source: string;
  cause: Record<string, string | number>;
  reason: string | null;
  fingerprint: string | null;
  state: GrantState;
  balanceAfter: number | null;
  repaired: boolean;
  detail: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface GrantRequest {
  /** The source's idempotency key, e.g. `daily:<user>:<day>` (see DESIGN.md "Rewards ledger"). */
  key: string;
  userId: string;
  coins: number;
  source: string;
  cause: Record<string, string | number>;
  reason?: string;
  /** Hash of the request body, when the source must tell a retry from a different request. */
  fingerprint?: string;
}

export interface EnqueueResult {
  grant: Grant;
  /** False when the key existed: the existing grant is returned and nothing new is paid. */
  created: boolean;
}

const MAX_KEY_LENGTH = 300;

/** A stored row as a Grant (also for queries outside this class, e.g. a bulk batch's rows). */
export function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    key: row.key,
    userId: row.user_id,
    coins: Number(row.coins),
    source: row.source,
    cause: JSON.parse(row.cause) as Record<string, string | number>,
    reason: row.reason,
    fingerprint: row.fingerprint,
    state: row.state,
    balanceAfter: row.balance_after === null ? null : Number(row.balance_after),
    repaired: Number(row.repaired) === 1,
    detail: row.detail,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface Settlement {
  state: Extract<GrantState, 'granted' | 'failed' | 'unknown'>;
  balanceAfter?: number | null;
  repaired?: boolean;
  detail?: string | null;
}

export class Ledger {
  readonly #listeners = new Set<(grant: Grant) => void>();

  constructor(
    readonly db: Kysely<StoreSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Calls `listener` after every enqueue that created a row (the worker wakes on it). */
  onEnqueued(listener: (grant: Grant) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Records a grant once per key. A duplicate key (a double click, a
   * redelivered webhook, an API retry, another process) returns the row
   * that exists, whatever its state.
   */
  async enqueue(request: GrantRequest): Promise<EnqueueResult> {
    if (!request.key || request.key.length > MAX_KEY_LENGTH) throw new RangeError('grant key length');
    if (!Number.isSafeInteger(request.coins) || request.coins < 1) throw new RangeError('grant coins');
    const at = this.now();
    const id = randomUUID();
    const inserted = await this.db
      .insertInto('grants')
      .values({
        id,
        key: request.key,
        user_id: request.userId,
        coins: request.coins,
        source: request.source,
        cause: JSON.stringify(request.cause),
        reason: request.reason ?? null,
        fingerprint: request.fingerprint ?? null,
        state: 'queued',
        balance_after: null,
        detail: null,
        claimed_by: null,
        created_at: at,
        updated_at: at,
        sending_since: null,
      })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      const grant = toGrant(inserted);
      for (const listener of [...this.#listeners]) listener(grant);
      return { grant, created: true };
    }
    // The key exists: its row is the grant, whatever its state.
    const grant = await this.getByKey(request.key);
    if (!grant) throw new Error(`grant ${request.key} conflicted on insert but cannot be read`);
    return { grant, created: false };
  }

  async get(id: string): Promise<Grant | undefined> {
    const row = await this.db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toGrant(row) : undefined;
  }

  async getByKey(key: string): Promise<Grant | undefined> {
    const row = await this.db.selectFrom('grants').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? toGrant(row) : undefined;
  }

  /** Grants in the given states, oldest first (for `/rewards queue`). */
  async list(states: readonly GrantState[], limit = 25): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('grants')
      .selectAll()
      .where('state', 'in', [...states])
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toGrant);
  }

  /** One user's grants, newest first (for `/rewards history`). */
  async history(userId: string, limit = 25, offset = 0): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('grants')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(toGrant);
  }

  /** Count of grants per state. */
  async countByState(): Promise<Record<GrantState, number>> {
    const rows = await this.db
      .selectFrom('grants')
      .select(['state', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('state')
      .execute();
    const counts: Record<GrantState, number> = { queued: 0, sending: 0, granted: 0, failed: 0, unknown: 0 };
    for (const row of rows) counts[row.state] = Number(row.count);
    return counts;
  }

  /** The oldest queued grant that may be tried now, or undefined. */
  async nextQueued(): Promise<Grant | undefined> {
    const row = await this.db
      .selectFrom('grants')
      .selectAll()
      .where('state', '=', 'queued')
      .where('not_before', '<=', this.now())
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? toGrant(row) : undefined;
  }

  /** When the next waiting grant may be tried (ms since the epoch), if any is waiting. */
  async nextWakeAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('grants')
      .select((eb) => eb.fn.min<number>('not_before').as('at'))
      .where('state', '=', 'queued')
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  /**
   * Moves a queued grant to `sending` for `workerId`. True for exactly one
   * caller however many workers or processes race for it.
   */
  async claim(id: string, workerId: string): Promise<boolean> {
    const at = this.now();
    const result = await this.db
      .updateTable('grants')
      .set({ state: 'sending', claimed_by: workerId, sending_since: at, updated_at: at })
      .where('id', '=', id)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Hands a claimed grant back to the queue: nothing was sent (budget spent, dashboard refused the connection). */
  async release(id: string, workerId: string, delayMs: number, detail: string): Promise<void> {
    const notBefore = this.now() + delayMs;
    await this.db
      .updateTable('grants')
      .set({
        state: 'queued',
        claimed_by: null,
        sending_since: null,
        not_before: notBefore,
        detail,
        updated_at: this.now(),
      })
      .where('id', '=', id)
      .where('state', '=', 'sending')
      .where('claimed_by', '=', workerId)
      .execute();
  }

  /**
   * Settles a grant this worker is sending. Undefined when it no longer is
   * (another process took it as abandoned): that settlement was reported there.
   */
  async settle(id: string, workerId: string, settlement: Settlement): Promise<Grant | undefined> {
    const row = await this.db
      .updateTable('grants')
      .set({
        state: settlement.state,
        balance_after: settlement.balanceAfter ?? null,
        repaired: settlement.repaired ? 1 : 0,
        detail: settlement.detail ?? null,
        sending_since: null,
        updated_at: this.now(),
      })
      .where('id', '=', id)
      .where('state', '=', 'sending')
      .where('claimed_by', '=', workerId)
      .returningAll()
      .executeTakeFirst();
    return row ? toGrant(row) : undefined;
  }

  /**
   * Grants left in `sending` longer than `staleMs` (their process died or
   * was stopped mid-send) become `unknown`: they may have reached the
   * dashboard, so they are never resent automatically.
   */
  async settleAbandoned(staleMs: number): Promise<Grant[]> {
    const at = this.now();
    const stale = await this.db
      .selectFrom('grants')
      .selectAll()
      .where('state', '=', 'sending')
      .where('sending_since', '<=', at - staleMs)
      .execute();
    const settled: Grant[] = [];
    for (const row of stale) {
      const result = await this.db
        .updateTable('grants')
        .set({
          state: 'unknown',
          detail: 'Interrupted while being sent (the bot stopped): it may have reached the dashboard.',
          sending_since: null,
          updated_at: at,
        })
        .where('id', '=', row.id)
        .where('state', '=', 'sending')
        .where('sending_since', '=', row.sending_since)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        const grant = await this.get(row.id);
        if (grant) settled.push(grant);
      }
    }
    return settled;
  }

  /**
   * An admin's decision on an `unknown` grant after re-checking the balance:
   * mark it granted, failed, or queue it to be sent again. True when applied.
   */
  async resolveUnknown(id: string, to: 'granted' | 'failed' | 'queued', detail: string): Promise<boolean> {
    const result = await this.db
      .updateTable('grants')
      .set({ state: to, detail, claimed_by: null, not_before: 0, updated_at: this.now() })
      .where('id', '=', id)
      .where('state', '=', 'unknown')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
