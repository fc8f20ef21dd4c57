import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../context.js';
import { defer, respond } from '../../bot/respond.js';
import { Colors } from '../../bot/style.js';
import { UserError } from '../../errors.js';
import { refuseWithoutKey } from '../../user/api.js';
import { chosenServerId, knownServerName } from '../../user/options.js';
import { plain } from '../../text.js';
import { describeInterval, parseShortDuration } from '../duration.js';

const MAX_BEFORE_MS = 60 * 86_400_000;

/** `/server remind server before`: a DM before the due date; `before:off` stops it. */
export async function remind(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const serverId = chosenServerId(interaction, ctx);
  const beforeText = (interaction.options.getString('before') ?? '3d').trim();
  const off = beforeText.toLowerCase() === 'off';
  const beforeMs = off ? 0 : parseShortDuration(beforeText);
  if (!off && (beforeMs === undefined || beforeMs < 3_600_000 || beforeMs > MAX_BEFORE_MS)) {
    throw new UserError(
      '`before` is a duration from `1h` to `60d` (e.g. `3d`), or `off`.',
      'Invalid duration',
    );
  }
  const { reminders } = ctx.watch.running;
  if (!off) await refuseWithoutKey(interaction.user.id, ctx);
  await defer(interaction, { ephemeral: true });
  const name = knownServerName(ctx.userCaches, interaction.user.id, serverId) ?? `#${serverId}`;
  if (off) {
    const removed = await reminders.off(interaction.user.id, serverId);
    await respond(interaction, {
      embeds: [
        {
          color: Colors.neutral,
          description: removed
            ? `No more renewal reminders for **${plain(name)}**.`
            : `You had no renewal reminder for **${plain(name)}**.`,
        },
      ],
    });
    return;
  }
  await reminders.set(interaction.user.id, serverId, name, beforeMs!);
  await respond(interaction, {
    embeds: [
      {
        title: 'Renewal reminder on',
        color: Colors.success,
        description: `You get a DM ${describeInterval(beforeMs!)} before **${plain(name)}** is due, once per due date. Hostlink reads your due dates at most once a day (1 credit a day for all your servers).`,
      },
    ],
  });
}
