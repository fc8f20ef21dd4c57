import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import type { Context } from '../../src/context.js';
import { UserError } from '../../src/errors.js';
import { formatDuration } from '../../src/text.js';
import { MAX_REWARD_PERIOD_MS } from '../../src/rewards/durations.js';
import { durationOption, gatesText, guildOf, ruleChanged } from './shared.js';

export const gatesData = (sub: SlashCommandSubcommandBuilder) =>
  sub
    .setName('gates')
    .setDescription('Anti-alt gates for /claim and /redeem: minimum account age and time in the server')
    .addStringOption((o) =>
      o
        .setName('account_age')
        .setDescription('Minimum age of the Discord account, e.g. 7d or 2w (0 = none)')
        .setMaxLength(40),
    )
    .addStringOption((o) =>
      o
        .setName('member_age')
        .setDescription('Minimum time since joining this server, e.g. 1d or 12h (0 = none)')
        .setMaxLength(40),
    );

const limits = { minMs: 60_000, maxMs: MAX_REWARD_PERIOD_MS, offAllowed: true };

/** `/rewards gates`: an option left out keeps its current value. */
export async function gates(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  guildOf(interaction);
  const accountAgeMs = durationOption(interaction, 'account_age', limits);
  const memberAgeMs = durationOption(interaction, 'member_age', limits);
  if (accountAgeMs === undefined && memberAgeMs === undefined)
    throw new UserError(
      'Give `account_age`, `member_age` or both (e.g. `7d`; `0` removes a gate). `/rewards settings` shows the current gates.',
      'Nothing to change',
    );
  const current = await ctx.rewards.settings.gates();
  const next = {
    accountAgeMs: accountAgeMs ?? current.accountAgeMs,
    memberAgeMs: memberAgeMs ?? current.memberAgeMs,
  };
  await ctx.rewards.settings.setGates(next);
  const shown = (ms: number) => (ms > 0 ? formatDuration(ms) : 'none');
  await ruleChanged(interaction, ctx, {
    action: 'rewards gates',
    values: { account_age: shown(next.accountAgeMs), member_age: shown(next.memberAgeMs) },
    embed: {
      title: 'Anti-alt gates set',
      description: `${gatesText(next)}\nThey apply to \`/claim\` and \`/redeem\`.`,
    },
  });
}
