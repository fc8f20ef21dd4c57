import {
  ChannelType,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type PermissionsBitField,
} from 'discord.js';
import type { Context } from '../../context.js';
import { defineConfirmation } from '../../bot/confirmations.js';
import { defer, respond } from '../../bot/respond.js';
import { Colors } from '../../bot/style.js';
import { UserError } from '../../errors.js';
import { chosenServerId } from '../../user/options.js';
import { plain } from '../../text.js';
import { describeInterval, parseShortDuration } from '../duration.js';
import { STOP_TEXT } from '../panel.js';
import { prepareWatch } from '../prepare.js';
import type { WatchRequest } from '../manager.js';
import { hostFailureError } from './failure-text.js';

export const MIN_INTERVAL_MS = 60_000;
export const MAX_INTERVAL_MS = 86_400_000;
const TEXT_CHANNELS = new Set<ChannelType>([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

export const watchConfirmation = defineConfirmation<WatchRequest>({
  name: 'watch-start',
  commandPath: 'server watch',
  async run(interaction, request, ctx) {
    const outcome = await ctx.watch.running.manager.watch(request);
    if (outcome.ok) {
      await respond(interaction, {
        embeds: [
          {
            title: 'Watching',
            color: Colors.success,
            description: `The status panel of **${plain(request.serverName)}** is in <#${request.channelId}>, checked every ${describeInterval(request.intervalMs)}.`,
          },
        ],
        components: [],
      });
      return;
    }
    const why =
      outcome.reason === 'duplicate'
        ? `You already watch **${plain(request.serverName)}** in <#${request.channelId}>.`
        : outcome.reason === 'no-access' || outcome.reason === 'channel-gone'
          ? `Hostlink cannot send messages in <#${request.channelId}>: give it View Channel, Send Messages and Embed Links there.`
          : STOP_TEXT[outcome.reason];
    await respond(interaction, {
      embeds: [{ title: 'Not watching', color: Colors.error, description: why }],
      components: [],
    });
  },
});

function parseInterval(text: string | null): number {
  const ms = parseShortDuration(text ?? '5m');
  if (ms === undefined) {
    throw new UserError('The interval is a duration such as `5m`, `90s` or `1h`.', 'Invalid interval');
  }
  if (ms < MIN_INTERVAL_MS) throw new UserError('The interval must be at least `1m`.', 'Interval too short');
  if (ms > MAX_INTERVAL_MS) throw new UserError('The interval must be at most `1d`.', 'Interval too long');
  return ms;
}

/** `/server watch server channel interval alert_role` */
export async function watch(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const serverId = chosenServerId(interaction, ctx);
  const intervalMs = parseInterval(interaction.options.getString('interval'));
  const channel = interaction.options.getChannel('channel', true);
  if (!interaction.inGuild())
    throw new UserError('Status panels live in a server channel.', 'Not in a server');
  if (!TEXT_CHANNELS.has(channel.type)) {
    throw new UserError('Pick a text or announcement channel for the panel.', 'Not a text channel');
  }
  // The resolved channel carries the invoker's own permissions in it.
  const invoker = (channel as { permissions?: Readonly<PermissionsBitField> | null }).permissions;
  if (!invoker?.has(PermissionFlagsBits.ManageMessages)) {
    throw new UserError(
      `Only members who may manage messages in <#${channel.id}> can put a status panel there.`,
      'Not allowed',
    );
  }
  const bot = interaction.guild?.channels.cache.get(channel.id)?.permissionsFor(interaction.client.user);
  if (
    bot &&
    !bot.has([
      PermissionFlagsBits.ViewChannel,
      PermissionFlagsBits.SendMessages,
      PermissionFlagsBits.EmbedLinks,
    ])
  ) {
    throw new UserError(
      `Hostlink cannot send messages in <#${channel.id}>: give it View Channel, Send Messages and Embed Links there.`,
      'Missing permissions',
    );
  }
  const role = interaction.options.getRole('alert_role');
  if (role && role.id === interaction.guildId) {
    throw new UserError('Pick a role for the alerts, not @everyone.', 'Invalid role');
  }
  await defer(interaction, { ephemeral: true });
  const asked = await prepareWatch(ctx.watch.running.host, interaction.user.id, serverId, intervalMs);
  if (!asked.ok) throw hostFailureError(asked.failure);
  const { serverName, dueDate, cost, dailyLimit } = asked.prepared;
  await watchConfirmation.ask(interaction, ctx, {
    embed: {
      title: `Watch ${plain(serverName, 200)}?`,
      description: [
        `A status panel in <#${channel.id}>, checked every ${describeInterval(intervalMs)}.`,
        `**Cost: ${cost.perDay.toLocaleString('en-US')} credits a day** (${cost.checksPerDay.toLocaleString('en-US')} status checks + 1 due-date read), ${cost.percent} % of your daily ${dailyLimit.toLocaleString('en-US')}. Under 10 % left, it checks hourly.`,
        role ? `Alerts ping <@&${role.id}> (and nobody else).` : 'Alerts ping nobody.',
      ].join('\n'),
    },
    confirmLabel: 'Watch',
    payload: {
      ownerId: interaction.user.id,
      serverId,
      serverName,
      dueDate,
      guildId: interaction.guildId,
      channelId: channel.id,
      intervalMs,
      alertRoleId: role?.id ?? null,
    },
  });
}
