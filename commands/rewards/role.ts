import { z } from 'zod';
import type { ChatInputCommandInteraction, SlashCommandSubcommandGroupBuilder } from 'discord.js';
import type { Context } from '../../src/context.js';
import { UserError } from '../../src/errors.js';
import { parseInput, wholeNumber } from '../../src/moderation/input.js';
import { rawOption } from '../../src/moderation/target.js';
import { formatCoins } from '../../src/moderation/format.js';
import { formatDuration } from '../../src/text.js';
import { MAX_REWARD_PERIOD_MS } from '../../src/rewards/durations.js';
import { MAX_ROLE_REWARDS, RoleRewards } from '../../src/rewards/role-rewards.js';
import { MAX_RULE_COINS, durationOption, guildOf, ruleChanged } from './shared.js';

/** The shortest `every`: more often would let one role drain the dashboard's request budget. */
const MIN_ROLE_PERIOD_MS = 3_600_000;

export const roleData = (group: SlashCommandSubcommandGroupBuilder) =>
  group
    .setName('role')
    .setDescription('Rewards for members holding a role')
    .addSubcommand((sub) =>
      sub
        .setName('set')
        .setDescription('Pay members holding a role, claimable with /claim once per period')
        .addRoleOption((o) =>
          o.setName('role').setDescription('The role that earns the reward').setRequired(true),
        )
        .addIntegerOption((o) =>
          o
            .setName('coins')
            .setDescription('Coins per claim')
            .setRequired(true)
            .setMinValue(1)
            .setMaxValue(MAX_RULE_COINS),
        )
        .addStringOption((o) =>
          o
            .setName('every')
            .setDescription('How often it may be claimed, e.g. 7d, 12h, 2w (at least 1h)')
            .setRequired(true)
            .setMaxLength(40),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription("Stop a role's reward")
        .addRoleOption((o) =>
          o.setName('role').setDescription('The role whose reward to stop').setRequired(true),
        ),
    );

const roleId = z.string({ error: 'must be a role' }).regex(/^\d{17,20}$/, { message: 'must be a role' });
const setInput = z.object({ role: roleId, coins: wholeNumber(1, MAX_RULE_COINS) });

export async function roleSet(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const guildId = guildOf(interaction);
  const input = parseInput(setInput, {
    role: rawOption(interaction, 'role'),
    coins: rawOption(interaction, 'coins'),
  });
  if (input.role === guildId)
    throw new UserError('@everyone holds no reward of its own: use `/rewards daily` to pay every member.');
  const everyMs = durationOption(interaction, 'every', {
    minMs: MIN_ROLE_PERIOD_MS,
    maxMs: MAX_REWARD_PERIOD_MS,
    offAllowed: false,
  })!;
  const rules = new RoleRewards(ctx.store.db);
  if (!(await rules.set({ roleId: input.role, guildId, coins: input.coins, everyMs })))
    throw new UserError(
      `This server already has ${MAX_ROLE_REWARDS} role rewards, the most there can be. Remove one with \`/rewards role remove\` first.`,
      'Too many role rewards',
    );
  await ruleChanged(interaction, ctx, {
    action: 'rewards role set',
    values: { role: input.role, coins: input.coins, every: formatDuration(everyMs) },
    embed: {
      title: 'Role reward set',
      description: `Members holding <@&${input.role}> can claim ${formatCoins(input.coins)} with \`/claim\` once every ${formatDuration(everyMs)}.`,
    },
  });
}

export async function roleRemove(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const guildId = guildOf(interaction);
  const { role } = parseInput(z.object({ role: roleId }), { role: rawOption(interaction, 'role') });
  if (!(await new RoleRewards(ctx.store.db).remove(guildId, role)))
    throw new UserError(`<@&${role}> has no role reward here: nothing was changed.`, 'No such role reward');
  await ruleChanged(interaction, ctx, {
    action: 'rewards role remove',
    values: { role },
    embed: {
      title: 'Role reward removed',
      description: `<@&${role}> no longer earns coins with \`/claim\`.`,
    },
  });
}
