import { z } from 'zod';
import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import type { Context } from '../../src/context.js';
import { parseInput, wholeNumber } from '../../src/moderation/input.js';
import { rawOption } from '../../src/moderation/target.js';
import { MAX_STREAK_MAX } from '../../src/rewards/streak.js';
import { MAX_RULE_COINS, dailyText, guildOf, ruleChanged } from './shared.js';

export const dailyData = (sub: SlashCommandSubcommandBuilder) =>
  sub
    .setName('daily')
    .setDescription('Set the daily reward of /claim (coins 0 turns it off)')
    .addIntegerOption((o) =>
      o
        .setName('coins')
        .setDescription('Coins per daily claim (0 turns the daily reward off)')
        .setRequired(true)
        .setMinValue(0)
        .setMaxValue(MAX_RULE_COINS),
    )
    .addIntegerOption((o) =>
      o
        .setName('streak_bonus')
        .setDescription('Extra coins per consecutive day (default: unchanged, at first 0)')
        .setMinValue(0)
        .setMaxValue(MAX_RULE_COINS),
    )
    .addIntegerOption((o) =>
      o
        .setName('streak_max')
        .setDescription('Streak day from which the bonus stops growing (default: unchanged, at first 7)')
        .setMinValue(1)
        .setMaxValue(MAX_STREAK_MAX),
    );

const dailyInput = z.object({
  coins: wholeNumber(0, MAX_RULE_COINS),
  streak_bonus: wholeNumber(0, MAX_RULE_COINS).optional(),
  streak_max: wholeNumber(1, MAX_STREAK_MAX).optional(),
});

/** `/rewards daily`: options left out keep their current value. */
export async function daily(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  guildOf(interaction);
  const input = parseInput(dailyInput, {
    coins: rawOption(interaction, 'coins'),
    streak_bonus: rawOption(interaction, 'streak_bonus') ?? undefined,
    streak_max: rawOption(interaction, 'streak_max') ?? undefined,
  });
  const current = await ctx.rewards.settings.daily();
  const rule = {
    coins: input.coins,
    streakBonus: input.streak_bonus ?? current.streakBonus,
    streakMax: input.streak_max ?? current.streakMax,
  };
  await ctx.rewards.settings.setDaily(rule);
  await ruleChanged(interaction, ctx, {
    action: 'rewards daily',
    values: { coins: rule.coins, streak_bonus: rule.streakBonus, streak_max: rule.streakMax },
    embed: {
      title: rule.coins > 0 ? 'Daily reward set' : 'Daily reward turned off',
      description: dailyText(rule),
    },
  });
}
