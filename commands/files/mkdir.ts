import { type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { respond } from '../../src/bot/respond.js';
import { normalizeRemotePath, validateRemoteName } from '../../src/atomichost/remote-path.js';
import { codeSpan } from '../../src/text.js';
import { done, target } from './shared.js';
import { beginUserAction } from '../../src/user/action.js';

export async function mkdir(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const parent = normalizeRemotePath(interaction.options.getString('path') ?? '/');
  const name = validateRemoteName(interaction.options.getString('name', true));
  const api = await beginUserAction(interaction, ctx);
  const { data: result, limits } = await api.createFolder(serverId, parent, name);
  const created = result.path ?? (parent === '/' ? `/${name}` : `${parent}/${name}`);
  await respond(interaction, done('Folder created', `Created ${codeSpan(created)}.`, limits));
}
