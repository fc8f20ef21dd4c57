import { type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { withCredits } from '../../src/user/footer.js';
import { baseName } from '../../src/user/format.js';
import { clipLine, codeSpan, linkText } from '../../src/text.js';
import { LINK_BUTTON_MAX, target, itemPath, linkRow } from './shared.js';
import { beginUserAction } from '../../src/user/action.js';

export async function download(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = itemPath(interaction.options.getString('path', true));
  const api = await beginUserAction(interaction, ctx);
  const { data: link, limits } = await api.downloadUrl(serverId, path);
  const fits = link.url.length <= LINK_BUTTON_MAX;
  await respond(interaction, {
    embeds: [
      withCredits(
        {
          title: clipLine(`Download ${baseName(path)}`, 256),
          color: Colors.info,
          description:
            `A one-time link to ${codeSpan(path)}: it works once, for a short time. Don't share it.` +
            (fits ? '' : `\n\n${linkText(link.url)}`),
        },
        limits,
      ),
    ],
    components: fits ? [linkRow('Download', link.url)] : [],
  });
}
