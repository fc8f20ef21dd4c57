import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { StoreSchema } from '../../store/schema.js';
import type { BulkBatch } from './batch.js';
import { parseJsonAs } from '../../json.js';
import { MAX_BULK_USERS, SNOWFLAKE } from './users.js';

/** A recorded batch and the name its invoker had when confirming it (for the audit). */
export interface RecordedBatch {
  batch: BulkBatch;
  invokerName: string;
}

const userIdsSchema = z.array(z.string().regex(SNOWFLAKE)).max(MAX_BULK_USERS);

/**
 * Confirmed bulk grants in the store, so that each is audited exactly once
 * as one moderator action: by the process that follows it to the end, or,
 * after a restart, by whichever process resumes it. Claiming the audit is a
 * conditional update, so two processes finishing the same batch post one entry.
 */
export class BulkBatches {
  constructor(
    private readonly db: Kysely<StoreSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the batch before its grants are queued; a second Confirm of the same batch changes nothing. */
  async record(batch: BulkBatch, invokerName: string): Promise<void> {
    await this.db
      .insertInto('bulk_batches')
      .values({
        batch_id: batch.batchId,
        invoker_id: batch.invokerId,
        invoker_name: invokerName,
        user_ids: JSON.stringify(batch.userIds),
        coins: batch.coins,
        reason: batch.reason,
        created_at: this.now(),
        audited_at: null,
      })
      .onConflict((conflict) => conflict.column('batch_id').doNothing())
      .execute();
  }

  /** True for the one caller that may post the batch's audit entry. */
  async claimAudit(batchId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('bulk_batches')
      .set({ audited_at: this.now() })
      .where('batch_id', '=', batchId)
      .where('audited_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Batches whose audit entry is not posted yet, oldest first. */
  async unaudited(): Promise<RecordedBatch[]> {
    const rows = await this.db
      .selectFrom('bulk_batches')
      .selectAll()
      .where('audited_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.flatMap((row) => {
      const userIds = parseJsonAs(row.user_ids, userIdsSchema);
      // A row this code did not write is left alone rather than audited wrongly.
      if (!userIds) return [];
      return [
        {
          batch: {
            batchId: row.batch_id,
            userIds,
            coins: Number(row.coins),
            reason: row.reason,
            invokerId: row.invoker_id,
          },
          invokerName: row.invoker_name,
        },
      ];
    });
  }
}
