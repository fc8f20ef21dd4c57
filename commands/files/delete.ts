import { type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { fileDeletion } from '../../src/user/file-delete.js';
import { target, itemPath } from './shared.js';

export async function remove(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = itemPath(interaction.options.getString('path', true));
  await fileDeletion.ask(interaction, ctx, { serverId, path });
}
