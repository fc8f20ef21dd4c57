import { type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { normalizeRemotePath } from '../../src/atomichost/remote-path.js';
import { withCredits } from '../../src/user/footer.js';
import { clipLine, formatBytes, plain } from '../../src/text.js';
import { INLINE_MAX, target } from './shared.js';
import { beginUserAction } from '../../src/user/action.js';

export async function list(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = normalizeRemotePath(interaction.options.getString('path') ?? '/');
  const api = await beginUserAction(interaction, ctx);
  const { data: listing, limits } = await api.listFiles(serverId, path);
  const folders = listing.files.filter((f) => !f.is_file);
  const files = listing.files.filter((f) => f.is_file);
  const lines = [
    ...folders.map((f) => `📁 ${plain(f.name, 120)}/`),
    ...files.map((f) => `📄 ${plain(f.name, 120)} — ${formatBytes(f.size)}`),
  ];
  const shown: string[] = [];
  let size = 0;
  for (const [index, line] of lines.entries()) {
    if (size + line.length + 1 > INLINE_MAX) {
      shown.push(`…and ${lines.length - index} more.`);
      break;
    }
    shown.push(line);
    size += line.length + 1;
  }
  const count = `${folders.length} folder${folders.length === 1 ? '' : 's'}, ${files.length} file${files.length === 1 ? '' : 's'}`;
  const embed: APIEmbed = {
    title: clipLine(`Files in ${listing.path || path}`, 256),
    color: Colors.info,
    description: lines.length === 0 ? 'This folder is empty.' : `${count}\n\n${shown.join('\n')}`,
  };
  await respond(interaction, { embeds: [withCredits(embed, limits)] });
}
