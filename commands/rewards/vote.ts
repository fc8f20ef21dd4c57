import { z } from 'zod';
import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import type { Context } from '../../src/context.js';
import { parseInput, wholeNumber } from '../../src/moderation/input.js';
import { rawOption } from '../../src/moderation/target.js';
import { formatCoins } from '../../src/moderation/format.js';
import { MAX_RULE_COINS, guildOf, ruleChanged } from './shared.js';

export const voteData = (sub: SlashCommandSubcommandBuilder) =>
  sub
    .setName('vote')
    .setDescription('Set the coins paid for each bot-list vote (0 turns vote rewards off)')
    .addIntegerOption((o) =>
      o
        .setName('coins')
        .setDescription('Coins per vote (0 turns vote rewards off)')
        .setRequired(true)
        .setMinValue(0)
        .setMaxValue(MAX_RULE_COINS),
    );

const voteInput = z.object({ coins: wholeNumber(0, MAX_RULE_COINS) });

export async function vote(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  guildOf(interaction);
  const { coins } = parseInput(voteInput, { coins: rawOption(interaction, 'coins') });
  await ctx.rewards.settings.setVoteCoins(coins);
  await ruleChanged(interaction, ctx, {
    action: 'rewards vote',
    values: { coins },
    embed:
      coins > 0
        ? {
            title: 'Vote reward set',
            description: `Each vote on top.gg or discordbotlist.com pays ${formatCoins(coins)}.`,
          }
        : { title: 'Vote rewards turned off', description: 'Votes are still acknowledged, and pay nothing.' },
  });
}
