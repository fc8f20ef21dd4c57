import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';
import { toGrant, type Grant, type GrantRequest } from '../ledger.js';

/** The ledger key of one member's grant in a batch (DESIGN.md "Rewards ledger"). */
export function bulkKey(batchId: string, userId: string): string {
  return `bulk:${batchId}:${userId}`;
}

/** A new batch id (chosen when the question is asked, so a repeated Confirm names the same batch). */
export function newBatchId(): string {
  return randomUUID();
}

export interface BulkBatch {
  batchId: string;
  userIds: readonly string[];
  coins: number;
  reason: string;
  invokerId: string;
}

/** One ledger request per member (source `bulk`, caused by the invoker and the batch). */
export function bulkRequests(batch: BulkBatch): GrantRequest[] {
  return batch.userIds.map((userId) => ({
    key: bulkKey(batch.batchId, userId),
    userId,
    coins: batch.coins,
    source: 'bulk',
    cause: { batch: batch.batchId, invoker: batch.invokerId },
    reason: batch.reason,
  }));
}

export interface BatchCounts {
  granted: number;
  failed: number;
  unknown: number;
  /** Queued or being sent. */
  waiting: number;
}

/**
 * A batch's rows in the ledger, found by their keys (the unique index), so
 * progress is read from the store whichever process's worker pays them.
 */
export class BatchReader {
  readonly #keys: string[];

  constructor(
    private readonly db: Kysely<StoreSchema>,
    batch: Pick<BulkBatch, 'batchId' | 'userIds'>,
  ) {
    this.#keys = batch.userIds.map((userId) => bulkKey(batch.batchId, userId));
  }

  async counts(): Promise<BatchCounts> {
    const rows = await this.db
      .selectFrom('grants')
      .select(['state', (eb) => eb.fn.countAll<number>().as('count')])
      .where('key', 'in', this.#keys)
      .groupBy('state')
      .execute();
    const counts: BatchCounts = { granted: 0, failed: 0, unknown: 0, waiting: 0 };
    for (const row of rows) {
      const count = Number(row.count);
      if (row.state === 'queued' || row.state === 'sending') counts.waiting += count;
      else counts[row.state] += count;
    }
    return counts;
  }

  /** The batch's grants that did not go through (failed or unknown), for the summary. */
  async problems(): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('grants')
      .selectAll()
      .where('key', 'in', this.#keys)
      .where('state', 'in', ['failed', 'unknown'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toGrant);
  }
}
