import { type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { respond } from '../../src/bot/respond.js';
import { UserError } from '../../src/errors.js';
import { normalizeRemotePath, validateRemoteName } from '../../src/atomichost/remote-path.js';
import { codeSpan } from '../../src/text.js';
import { done, target } from './shared.js';
import { beginUserAction } from '../../src/user/action.js';

export async function rename(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const root = normalizeRemotePath(interaction.options.getString('path') ?? '/');
  const from = validateRemoteName(interaction.options.getString('from', true));
  const to = validateRemoteName(interaction.options.getString('to', true));
  if (from === to) throw new UserError('The new name is the same as the old one.', 'Nothing to rename');
  const api = await beginUserAction(interaction, ctx);
  const { limits } = await api.rename(serverId, root, from, to);
  const inRoot = (name: string) => (root === '/' ? `/${name}` : `${root}/${name}`);
  await respond(
    interaction,
    done('Renamed', `${codeSpan(inRoot(from))} is now ${codeSpan(inRoot(to))}.`, limits),
  );
}
