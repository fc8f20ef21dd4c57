import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../context.js';
import { defer, respond } from '../../bot/respond.js';
import { Colors } from '../../bot/style.js';
import { chosenServerId } from '../../user/options.js';

/** `/server unwatch server`: stops the caller's panels of that server. */
export async function unwatch(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const serverId = chosenServerId(interaction, ctx);
  await defer(interaction, { ephemeral: true });
  const stopped = await ctx.watch.running.manager.unwatch(interaction.user.id, serverId);
  await respond(interaction, {
    embeds: [
      stopped === 0
        ? { description: `You are not watching server \`#${serverId}\`.`, color: Colors.neutral }
        : {
            description: `Stopped ${stopped === 1 ? 'the panel' : `${stopped} panels`} of server \`#${serverId}\`; no more credits are spent on it.`,
            color: Colors.success,
          },
    ],
  });
}
