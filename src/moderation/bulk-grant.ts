import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import { z } from 'zod';
import type { Context } from '../context.js';
import type { Handler } from '../commands/types.js';
import { defineConfirmation } from '../bot/confirmations.js';
import { defer, respond } from '../bot/respond.js';
import { Colors } from '../bot/style.js';
import { UserError } from '../errors.js';
import { realClock } from '../clock.js';
import { requireDashboard } from './dashboard.js';
import { MAX_REASON_LENGTH, parseInput, wholeNumber } from './input.js';
import { rawOption } from './target.js';
import { formatCount } from './format.js';
import type { AuditResult } from './audit.js';
import type { Grant } from '../rewards/ledger.js';
import {
  BatchReader,
  bulkRequests,
  newBatchId,
  type BatchCounts,
  type BulkBatch,
} from '../rewards/bulk/batch.js';
import { BulkProgress } from '../rewards/bulk/progress.js';
import { MAX_BULK_USERS, MAX_USERS_TEXT, parseBulkUsers } from '../rewards/bulk/users.js';
import { bulkRender, confirmEmbed, totalCoins } from './bulk-view.js';

/** Coins one member gets from a bulk grant (as for the grant API). */
export const MAX_BULK_COINS = 1_000_000;

const bulkInput = z.object({
  amount: wholeNumber(1, MAX_BULK_COINS),
  reason: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be blank')
    .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`),
  users: z.string({ error: 'must be text' }),
});

/** `/coins grant`'s options (added to the /coins builder). */
export function grantSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .setName('grant')
    .setDescription(`Grant coins to up to ${MAX_BULK_USERS} members at once (asks to confirm)`)
    .addStringOption((o) =>
      o
        .setName('users')
        .setDescription('Mentions or user ids, separated by spaces or commas')
        .setRequired(true)
        .setMaxLength(MAX_USERS_TEXT),
    )
    .addIntegerOption((o) =>
      o
        .setName('amount')
        .setDescription('Coins for each member')
        .setRequired(true)
        .setMinValue(1)
        .setMaxValue(MAX_BULK_COINS),
    )
    .addStringOption((o) =>
      o
        .setName('reason')
        .setDescription('Why (shown in the audit and the ledger)')
        .setRequired(true)
        .setMaxLength(MAX_REASON_LENGTH),
    );
}

const confirmBulk = defineConfirmation<BulkBatch>({
  name: 'coins-grant-confirm',
  commandPath: 'coins grant',
  run: (interaction, batch, ctx) => queueBatch(interaction, batch, ctx),
});

export const bulkGrantComponents = [confirmBulk.component];

async function askBulkGrant(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  requireDashboard(ctx);
  const input = parseInput(bulkInput, {
    amount: rawOption(interaction, 'amount'),
    reason: rawOption(interaction, 'reason'),
    users: rawOption(interaction, 'users'),
  });
  const users = parseBulkUsers(input.users);
  if (!users.ok) throw new UserError(users.problem, 'Invalid users');
  await defer(interaction, { ephemeral: true });
  // The batch id is fixed now: a Confirm pressed twice names the same batch (and the same ledger keys).
  const batch: BulkBatch = {
    batchId: newBatchId(),
    userIds: users.userIds,
    coins: input.amount,
    reason: input.reason,
    invokerId: interaction.user.id,
  };
  await confirmBulk.ask(interaction, ctx, {
    embed: confirmEmbed(batch),
    confirmLabel: `Grant ${formatCount(totalCoins(batch))} coins`,
    payload: batch,
  });
}

export const grantHandler: Handler = { tier: 'admin', run: askBulkGrant };

async function queueBatch(interaction: ButtonInteraction, batch: BulkBatch, ctx: Context): Promise<void> {
  // Before the first grant can settle: this command audits the batch, the batched grant audit skips it.
  const release = ctx.rewards.followBatch(batch.batchId);
  let created = 0;
  try {
    for (const request of bulkRequests(batch)) {
      if ((await ctx.rewards.enqueue(request)).created) created += 1;
    }
  } catch (error) {
    release();
    ctx.logger.error({ err: error, batch: batch.batchId, created }, 'Could not queue a bulk grant');
    // What was queued is paid: the admin must know before granting again.
    throw new UserError(
      `The store failed after ${formatCount(created)} of ${formatCount(batch.userIds.length)} grants were queued. Those are paid as usual; check /rewards queue before granting the rest again.`,
      'Bulk grant only partly queued',
    );
  }
  ctx.logger.info({ batch: batch.batchId, members: batch.userIds.length, created }, 'Bulk grant queued');
  if (created === 0) {
    await respond(interaction, {
      embeds: [
        {
          title: 'This bulk grant is already queued',
          description: `Batch ${batch.batchId} was queued before; nothing was added. /rewards queue shows what is left.`,
          color: Colors.neutral,
        },
      ],
      components: [],
    });
    return;
  }
  const reader = new BatchReader(ctx.rewards.ledger.db, batch);
  const heliactyl = ctx.heliactyl;
  const progress = new BulkProgress(batch, {
    clock: realClock,
    logger: ctx.logger,
    read: () => reader.counts(),
    problems: () => reader.problems(),
    outlook: () => heliactyl?.budgetOutlook() ?? null,
    subscribe: (listener) => ctx.rewards.onSettled(listener),
    render: bulkRender(batch),
    show: async (embed) => {
      await interaction.editReply({ embeds: [embed], components: [], allowedMentions: { parse: [] } });
    },
    finished: (counts, problems) => auditBatch(interaction, ctx, batch, counts, problems).finally(release),
  });
  // Followed in the background: the button's work ends here, the message keeps being edited.
  progress.start().catch((error: unknown) => {
    release();
    ctx.logger.error({ err: error, batch: batch.batchId }, 'Could not follow a bulk grant');
  });
}

function auditBatch(
  interaction: ButtonInteraction,
  ctx: Context,
  batch: BulkBatch,
  counts: BatchCounts,
  problems: readonly Grant[],
): Promise<void> {
  return ctx.audit.record(
    {
      action: 'coins grant',
      invoker: { id: interaction.user.id, username: interaction.user.username },
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
      result: auditResult(counts),
      detail: `${formatCount(counts.granted)} granted, ${formatCount(counts.failed)} failed, ${formatCount(counts.unknown)} unknown${
        problems.length > 0
          ? ` (${problems
              .slice(0, 20)
              .map((g) => `<@${g.userId}> ${g.state}`)
              .join(', ')}${problems.length > 20 ? ', …' : ''})`
          : ''
      }.`,
    },
    ctx.logger,
  );
}

function auditResult(counts: BatchCounts): AuditResult {
  if (counts.unknown > 0) return 'unknown';
  if (counts.failed > 0) return counts.granted > 0 ? 'partial' : 'failure';
  return 'success';
}
