import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import type { Context } from '../../src/context.js';
import { respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { formatCoins } from '../../src/moderation/format.js';
import { formatDuration } from '../../src/text.js';
import { RoleRewards } from '../../src/rewards/role-rewards.js';
import { dailyText, gatesText, guildOf } from './shared.js';

export const settingsData = (sub: SlashCommandSubcommandBuilder) =>
  sub.setName('settings').setDescription('Every reward rule and anti-alt gate');

/** `/rewards settings`: every rule and gate in one embed (moderators). */
export async function settings(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const guildId = guildOf(interaction);
  const [daily, voteCoins, gates, roles] = await Promise.all([
    ctx.rewards.settings.daily(),
    ctx.rewards.settings.voteCoins(),
    ctx.rewards.settings.gates(),
    new RoleRewards(ctx.store.db).list(guildId),
  ]);
  const roleLines = roles.map(
    (rule) => `<@&${rule.roleId}>: ${formatCoins(rule.coins)} every ${formatDuration(rule.everyMs)}`,
  );
  await respond(interaction, {
    embeds: [
      {
        title: 'Reward rules',
        color: Colors.info,
        // Up to 25 role lines: more than a field holds, so they go in the description.
        description: `**Role rewards (\`/claim\`)**\n${roleLines.join('\n') || 'None'}`,
        fields: [
          { name: 'Daily reward (`/claim`)', value: dailyText(daily) },
          { name: 'Votes', value: voteCoins > 0 ? `${formatCoins(voteCoins)} per vote` : 'Off' },
          { name: 'Anti-alt gates (`/claim`, `/redeem`)', value: gatesText(gates) },
        ],
      },
    ],
  });
}
