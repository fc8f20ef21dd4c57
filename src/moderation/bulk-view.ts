import type { APIEmbed } from 'discord.js';
import { Colors } from '../bot/style.js';
import { formatCoins, formatCount, plural } from './format.js';
import { clipList, plain } from '../text.js';
import type { Grant } from '../rewards/ledger.js';
import type { BatchCounts, BulkBatch } from '../rewards/bulk/batch.js';
import { settledOf, type ProgressRender } from '../rewards/bulk/progress.js';

/** What the bulk grant's messages show (pure, unit-tested through the e2e texts). */

const MEMBER_LIST_MAX = 1500;

export function totalCoins(batch: Pick<BulkBatch, 'userIds' | 'coins'>): number {
  return batch.userIds.length * batch.coins;
}

function headline(batch: BulkBatch): string {
  return `${formatCoins(batch.coins)} each to ${plural(batch.userIds.length, 'member')} — ${formatCoins(totalCoins(batch))} in total`;
}

export function confirmEmbed(batch: BulkBatch): APIEmbed {
  const members = clipList(
    batch.userIds.map((id) => `<@${id}>`),
    MEMBER_LIST_MAX,
  ).join(' ');
  return {
    title: `Grant ${formatCoins(batch.coins)} to ${plural(batch.userIds.length, 'member')}?`,
    description: `${headline(batch)}.\nReason: ${plain(batch.reason, 300)}\n\n${members}`,
    fields: [
      { name: 'Members', value: formatCount(batch.userIds.length), inline: true },
      { name: 'Amount each', value: formatCoins(batch.coins), inline: true },
      { name: 'Total', value: formatCoins(totalCoins(batch)), inline: true },
    ],
  };
}

const RESTART_NOTE =
  'Each grant is paid once through the ledger. If the bot restarts, the grants still go out and the audit entry still comes, but this message stops updating: /rewards queue shows what is left.';

function countLines(counts: BatchCounts): string {
  return [
    `✅ Granted: ${formatCount(counts.granted)}`,
    `⏳ Queued: ${formatCount(counts.waiting)}`,
    `⚠️ Unknown: ${formatCount(counts.unknown)}`,
    `❌ Failed: ${formatCount(counts.failed)}`,
  ].join('\n');
}

export function progressEmbed(batch: BulkBatch, counts: BatchCounts, eta: string | null): APIEmbed {
  const done = settledOf(counts);
  return {
    title: `Bulk grant: ${formatCount(done)} of ${formatCount(batch.userIds.length)} done`,
    color: Colors.info,
    description: `${headline(batch)}.\nReason: ${plain(batch.reason, 300)}\n\n${countLines(counts)}${
      eta ? `\n\nETA: ${eta}` : ''
    }`,
    footer: { text: `Batch ${batch.batchId}. ${RESTART_NOTE}` },
  };
}

/** When Discord no longer lets the reply be edited (15 min), the last edit says so. */
export function stoppedUpdatingEmbed(batch: BulkBatch, counts: BatchCounts): APIEmbed {
  return {
    ...progressEmbed(batch, counts, null),
    footer: {
      text: `Batch ${batch.batchId}. This message stops updating here (Discord allows edits for 15 minutes); the grants keep going and the summary goes to the audit channel. /rewards queue shows what is left.`,
    },
  };
}

function problemLine(grant: Grant): string {
  const icon = grant.state === 'unknown' ? '⚠️' : '❌';
  return `${icon} <@${grant.userId}> ${grant.state}${grant.detail ? `: ${plain(grant.detail, 150)}` : ''}`;
}

export function summaryEmbed(batch: BulkBatch, counts: BatchCounts, problems: readonly Grant[]): APIEmbed {
  const clean = counts.failed === 0 && counts.unknown === 0;
  const lines = clipList(problems.map(problemLine), 1800);
  const next =
    counts.unknown > 0
      ? '\n\nUnknown grants may have reached the dashboard: they are not resent by themselves. Re-check them in /rewards queue.'
      : '';
  return {
    title: clean
      ? `Bulk grant done: ${plural(counts.granted, 'member')} paid`
      : `Bulk grant finished: ${formatCount(counts.granted)} granted, ${formatCount(counts.failed)} failed, ${formatCount(counts.unknown)} unknown`,
    color: clean ? Colors.success : Colors.warning,
    description: `${headline(batch)}.\nReason: ${plain(batch.reason, 300)}\n\n${countLines(counts)}${
      lines.length > 0 ? `\n\n${lines.join('\n')}` : ''
    }${next}`,
    footer: { text: `Batch ${batch.batchId}` },
  };
}

/** The progress tracker's messages for one batch. */
export function bulkRender(batch: BulkBatch): ProgressRender {
  return {
    progress: (counts, eta) => progressEmbed(batch, counts, eta),
    stopped: (counts) => stoppedUpdatingEmbed(batch, counts),
    summary: (counts, problems) => summaryEmbed(batch, counts, problems),
  };
}
