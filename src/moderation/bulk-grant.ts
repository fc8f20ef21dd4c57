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
import { requireDashboard } from './dashboard.js';
import { MAX_REASON_LENGTH, parseInput, wholeNumber } from './input.js';
import { rawOption } from './target.js';
import { formatCount } from './format.js';
import { bulkRequests, newBatchId, type BulkBatch } from '../rewards/bulk/batch.js';
import { BulkBatches } from '../rewards/bulk/batches.js';
import { MAX_BULK_USERS, MAX_USERS_TEXT, parseBulkUsers } from '../rewards/bulk/users.js';
import { confirmEmbed, totalCoins } from './bulk-view.js';
import { followBulkBatch } from './bulk-follow.js';

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
  const recorded = { batch, invokerName: interaction.user.username };
  // Recorded before any grant is queued, so its one audit entry comes even if the bot stops meanwhile.
  await new BulkBatches(ctx.store.db).record(batch, recorded.invokerName);
  let created = 0;
  try {
    for (const request of bulkRequests(batch)) {
      if ((await ctx.rewards.enqueue(request)).created) created += 1;
    }
  } catch (error) {
    ctx.logger.error({ err: error, batch: batch.batchId, created }, 'Could not queue a bulk grant');
    // What was queued is paid and audited as this batch (the message shows the error, not progress).
    followBulkBatch(ctx, recorded);
    // The admin must know before granting again.
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
  followBulkBatch(ctx, recorded, async (embed) => {
    await interaction.editReply({ embeds: [embed], components: [], allowedMentions: { parse: [] } });
  });
}
