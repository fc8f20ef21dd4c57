import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { discordTime } from '../src/text.js';
import { CODE_MAX_LENGTH } from '../src/rewards/code-secret.js';
import { gateRefusal } from '../src/rewards/gates.js';
import { dashboardAccountExists } from '../src/rewards/accounts.js';
import { redeemCode } from '../src/rewards/redeem.js';
import { claimantOf } from '../src/bot/claimant.js';
import { redeemReply } from './rewards/code-text.js';

const data = new SlashCommandBuilder()
  .setName('redeem')
  .setDescription('Redeem a reward code for dashboard coins')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o
      .setName('code')
      .setDescription('The code you were given')
      .setRequired(true)
      .setMaxLength(CODE_MAX_LENGTH),
  )
  .toJSON();

/** `/redeem code`: the anti-alt gates first, then the code (see src/rewards/redeem.ts for the order). */
async function redeem(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  await defer(interaction, { ephemeral: true });
  const now = Date.now();
  const refusal = gateRefusal(await ctx.rewards.settings.gates(), claimantOf(interaction), now);
  if (refusal) {
    await respond(interaction, {
      embeds: [{ title: 'Not yet', description: refusal, color: Colors.warning }],
    });
    return;
  }
  const blockedUntil = ctx.codeAttempts.blockedUntil(interaction.user.id);
  if (blockedUntil !== null) {
    await respond(interaction, {
      embeds: [
        {
          title: 'Too many wrong codes',
          description: `You entered several wrong codes. You can try again ${discordTime(new Date(blockedUntil), 'R')}.`,
          color: Colors.warning,
        },
      ],
    });
    return;
  }
  const outcome = await redeemCode(
    {
      codes: ctx.codes,
      enqueue: (request) => ctx.rewards.enqueue(request),
      grantByKey: (key) => ctx.rewards.ledger.getByKey(key),
      accountExists: (userId) => dashboardAccountExists(ctx.heliactyl, userId),
    },
    { text: interaction.options.getString('code', true), userId: interaction.user.id, now },
  );
  if (outcome.kind === 'unknown' || outcome.kind === 'malformed')
    ctx.codeAttempts.recordFailure(interaction.user.id);
  // Never the code's text: its id finds it in `/rewards code list`.
  const codeId = 'code' in outcome ? outcome.code.id : undefined;
  ctx.logger.info({ outcome: outcome.kind, codeId }, 'Code redemption');
  await respond(interaction, { embeds: [redeemReply(outcome)] });
}

export default defineCommand({ data, tier: 'user', run: redeem });
