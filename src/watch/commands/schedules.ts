import { ButtonStyle, ComponentType, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../context.js';
import type { ComponentHandler } from '../../commands/types.js';
import { encodeCustomId } from '../../bot/custom-id.js';
import { defer, respond, type ReplyPayload } from '../../bot/respond.js';
import { Colors } from '../../bot/style.js';
import { plain } from '../../text.js';
import type { Schedule } from '../types.js';

/** Discord allows 5 rows of 5 buttons; one button per schedule. */
const SHOWN = 25;

function listing(schedules: Schedule[], note?: string): ReplyPayload {
  const shown = schedules.slice(0, SHOWN);
  const embed: APIEmbed = {
    title: 'Your schedules',
    color: Colors.info,
    description:
      (note ? `${note}\n\n` : '') +
      (shown.length === 0
        ? 'You have no scheduled power actions. Add one with `/server schedule`.'
        : shown
            .map(
              (s, i) =>
                `**${i + 1}.** ${s.signal} **${plain(s.serverName, 60)}** <t:${Math.floor(s.runAt / 1000)}:f>${s.warn && s.signal !== 'start' ? ' · warns players' : ''}`,
            )
            .join('\n') + (schedules.length > SHOWN ? `\n…and ${schedules.length - SHOWN} more.` : '')),
  };
  const rows = [];
  for (let i = 0; i < shown.length; i += 5) {
    rows.push({
      type: ComponentType.ActionRow as const,
      components: shown.slice(i, i + 5).map((s, j) => ({
        type: ComponentType.Button as const,
        style: ButtonStyle.Secondary as const,
        label: `Cancel ${i + j + 1}`,
        custom_id: encodeCustomId('schedule-cancel', s.id),
      })),
    });
  }
  return { embeds: [embed], components: rows };
}

/** `/server schedules`: the caller's pending schedules, each with a Cancel button. */
export async function schedules(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  await defer(interaction, { ephemeral: true });
  await respond(interaction, listing(await ctx.watch.running.repo.schedulesOf(interaction.user.id)));
}

export const scheduleCancelButton: ComponentHandler = {
  name: 'schedule-cancel',
  commandPath: 'server schedules',
  async button(interaction, state, ctx) {
    const [id = ''] = state;
    await interaction.deferUpdate();
    const { schedules: runner, repo } = ctx.watch.running;
    const cancelled = await runner.cancel(interaction.user.id, id);
    const note = cancelled ? '✅ Cancelled.' : 'That schedule already ran or was cancelled.';
    await respond(interaction, listing(await repo.schedulesOf(interaction.user.id), note));
  },
};
