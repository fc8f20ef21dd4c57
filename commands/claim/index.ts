import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { defineCommand } from '../../src/commands/types.js';
import type { Context } from '../../src/context.js';
import { defer, respond } from '../../src/bot/respond.js';
import { afterAck } from '../../src/bot/after-ack.js';
import { memberRoles } from '../../src/bot/router.js';
import { UserError } from '../../src/errors.js';
import { ClaimService } from '../../src/rewards/claims.js';
import { claimReply } from './reply.js';
import { claimantOf } from '../../src/bot/claimant.js';

const data = new SlashCommandBuilder()
  .setName('claim')
  .setDescription('Claim every reward due to you now: the daily reward and your role rewards')
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON();

/**
 * `/claim`: acknowledged at once (ephemeral), then the claim is recorded and
 * its grants queued; the answer says what was queued and when each reward
 * opens again. It does not wait for the dashboard: the grant worker pays
 * in order under the dashboard's rate limit, which may take longer than an
 * interaction can be edited. The claim is judged at the time of the click
 * (the interaction's own timestamp, set by Discord).
 */
async function claim(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  if (!interaction.inGuild()) throw new UserError('Rewards are claimed inside a server.');
  await defer(interaction, { ephemeral: true });
  // In a rush of clicks the store work waits its turn, so every click is acknowledged first.
  await afterAck();
  const outcome = await new ClaimService(ctx.rewards, ctx.store.db).claim({
    userId: interaction.user.id,
    guildId: interaction.guildId,
    roles: memberRoles(interaction) ?? [],
    joinedAt: claimantOf(interaction).joinedAt,
    at: interaction.createdTimestamp,
  });
  await respond(interaction, { embeds: [claimReply(outcome)] });
}

export default defineCommand({ data, tier: 'user', run: claim });
