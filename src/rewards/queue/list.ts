import type { Kysely } from 'kysely';
import type { StoreSchema, GrantState } from '../../store/schema.js';
import { toGrant, type Grant, type Ledger } from '../ledger.js';

/** Most grants one `/rewards queue` reads per state (the header still gives the full counts). */
export const QUEUE_READ_MAX = 100;
/** Failed grants are listed for this long after they failed. */
export const RECENT_FAILED_MS = 24 * 60 * 60_000;

export interface QueueSnapshot {
  /** Unknown first (they need an admin), then sending, queued, and recently failed. */
  grants: Grant[];
  counts: Record<GrantState, number>;
  recentFailed: number;
}

/** The grants `/rewards queue` shows, read from the ledger (capped per state). */
export async function readQueue(ledger: Ledger, now: number): Promise<QueueSnapshot> {
  const [unknown, sending, queued, failed, counts] = await Promise.all([
    ledger.list(['unknown'], QUEUE_READ_MAX),
    ledger.list(['sending'], QUEUE_READ_MAX),
    ledger.list(['queued'], QUEUE_READ_MAX),
    recentFailed(ledger.db, now - RECENT_FAILED_MS),
    ledger.countByState(),
  ]);
  return { grants: [...unknown, ...sending, ...queued, ...failed], counts, recentFailed: failed.length };
}

async function recentFailed(db: Kysely<StoreSchema>, since: number): Promise<Grant[]> {
  const rows = await db
    .selectFrom('grants')
    .selectAll()
    .where('state', '=', 'failed')
    .where('updated_at', '>=', since)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(QUEUE_READ_MAX)
    .execute();
  return rows.map(toGrant);
}
