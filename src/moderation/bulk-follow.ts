import type { APIEmbed } from 'discord.js';
import type { Context } from '../context.js';
import { realClock } from '../clock.js';
import { formatCount } from './format.js';
import type { AuditResult } from './audit.js';
import type { Grant } from '../rewards/ledger.js';
import { BatchReader, type BatchCounts } from '../rewards/bulk/batch.js';
import { BulkBatches, type RecordedBatch } from '../rewards/bulk/batches.js';
import { BulkProgress } from '../rewards/bulk/progress.js';
import { bulkRender, totalCoins } from './bulk-view.js';

/** What following a batch needs from the bot. */
export type BulkFollowContext = Pick<Context, 'rewards' | 'store' | 'heliactyl' | 'logger'> & {
  audit: Pick<Context['audit'], 'record'>;
};

/**
 * Follows a recorded bulk grant until every grant is settled, editing the
 * progress message through `show` (none after a restart: the interaction
 * that could edit it is gone), then audits the batch as one moderator
 * action, once across processes and restarts (BulkBatches.claimAudit).
 * The returned progress's `done` resolves once it has finished.
 */
export function followBulkBatch(
  ctx: BulkFollowContext,
  recorded: RecordedBatch,
  show: (embed: APIEmbed) => Promise<void> = async () => undefined,
): BulkProgress {
  const { batch } = recorded;
  const reader = new BatchReader(ctx.store.db, batch);
  const batches = new BulkBatches(ctx.store.db);
  const heliactyl = ctx.heliactyl;
  const progress = new BulkProgress(batch, {
    clock: realClock,
    logger: ctx.logger,
    read: () => reader.counts(),
    problems: () => reader.problems(),
    outlook: () => heliactyl?.budgetOutlook() ?? null,
    subscribe: (listener) => ctx.rewards.onSettled(listener),
    render: bulkRender(batch),
    show,
    finished: async (counts, problems) => {
      if (await batches.claimAudit(batch.batchId)) await auditBatch(ctx, recorded, counts, problems);
    },
  });
  // Followed in the background: the caller's work ends here.
  progress.start().catch((error: unknown) => {
    ctx.logger.error({ err: error, batch: batch.batchId }, 'Could not follow a bulk grant');
  });
  return progress;
}

/**
 * At start: follows every bulk grant whose audit entry was not posted (the
 * bot stopped while it drained, or before the entry went out).
 */
export async function resumeBulkBatches(ctx: BulkFollowContext): Promise<void> {
  for (const recorded of await new BulkBatches(ctx.store.db).unaudited()) {
    ctx.logger.info(
      { batch: recorded.batch.batchId, members: recorded.batch.userIds.length },
      'Following a bulk grant again after a restart',
    );
    followBulkBatch(ctx, recorded);
  }
}

function auditBatch(
  ctx: BulkFollowContext,
  { batch, invokerName }: RecordedBatch,
  counts: BatchCounts,
  problems: readonly Grant[],
): Promise<void> {
  // Every queued grant is settled here; members without a row were never queued.
  const notQueued = batch.userIds.length - (counts.granted + counts.failed + counts.unknown + counts.waiting);
  return ctx.audit.record(
    {
      action: 'coins grant',
      invoker: { id: batch.invokerId, username: invokerName },
      target: {
        id: batch.batchId,
        display: `${formatCount(batch.userIds.length)} members (batch ${batch.batchId})`,
      },
      values: {
        members: batch.userIds.length,
        'amount each': batch.coins,
        total: totalCoins(batch),
        reason: batch.reason,
      },
      result: auditResult(counts, notQueued),
      detail: auditDetail(counts, notQueued, problems),
    },
    ctx.logger,
  );
}

/** "2 granted, 1 failed, 0 unknown (<@…> failed)." — the problems named, 20 at most. */
function auditDetail(counts: BatchCounts, notQueued: number, problems: readonly Grant[]): string {
  const counted = [
    `${formatCount(counts.granted)} granted`,
    `${formatCount(counts.failed)} failed`,
    `${formatCount(counts.unknown)} unknown`,
  ];
  if (notQueued > 0) counted.push(`${formatCount(notQueued)} not queued (the store failed)`);
  const named = problems.slice(0, 20).map((grant) => `<@${grant.userId}> ${grant.state}`);
  if (problems.length > 20) named.push('…');
  return `${counted.join(', ')}${named.length > 0 ? ` (${named.join(', ')})` : ''}.`;
}

function auditResult(counts: BatchCounts, notQueued: number): AuditResult {
  if (counts.unknown > 0) return 'unknown';
  if (counts.failed > 0 || notQueued > 0) return counts.granted > 0 ? 'partial' : 'failure';
  return 'success';
}
