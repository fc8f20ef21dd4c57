import { type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { withCredits } from '../../src/user/footer.js';
import { attachmentName, languageFor, looksBinary } from '../../src/user/format.js';
import { clipLine, codeBlock, formatBytes } from '../../src/text.js';
import { INLINE_MAX, ATTACH_MAX, target, itemPath } from './shared.js';
import { beginUserAction } from '../../src/user/action.js';

export async function read(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = itemPath(interaction.options.getString('path', true));
  const api = await beginUserAction(interaction, ctx);
  const { data: file, limits } = await api.readFile(serverId, path);
  const content = file.content;
  const bytes = Buffer.byteLength(content);
  const title = clipLine(path, 256);
  if (looksBinary(content)) {
    await respond(interaction, {
      embeds: [
        withCredits(
          {
            title,
            color: Colors.warning,
            description: `This looks like a binary file (${formatBytes(bytes)}), so it isn't shown in chat. Get it with \`/files download\`.`,
          },
          limits,
        ),
      ],
    });
    return;
  }
  const language = languageFor(path);
  const whole = codeBlock(content, language);
  if (whole.length <= INLINE_MAX) {
    await respond(interaction, {
      embeds: [
        withCredits(
          { title, color: Colors.info, description: content === '' ? '*This file is empty.*' : whole },
          limits,
        ),
      ],
    });
    return;
  }
  if (bytes > ATTACH_MAX) {
    const preview = codeBlock(previewOf(content, INLINE_MAX - 200), language);
    await respond(interaction, {
      embeds: [
        withCredits(
          {
            title,
            color: Colors.info,
            description: `${preview}\nThis file is ${formatBytes(bytes)} — too large to attach. Get all of it with \`/files download\`.`,
          },
          limits,
        ),
      ],
    });
    return;
  }
  const name = attachmentName(path);
  const preview = codeBlock(previewOf(content, INLINE_MAX - 200), language);
  await respond(interaction, {
    embeds: [
      withCredits(
        {
          title,
          color: Colors.info,
          description: `${preview}\nThe file is longer than fits here (${formatBytes(bytes)}): the whole file is attached.`,
        },
        limits,
      ),
    ],
    files: [
      {
        attachment: Buffer.from(content, 'utf8'),
        name: /\.[A-Za-z0-9]{1,10}$/.test(name) ? name : `${name}.txt`,
      },
    ],
  });
}

/** The first lines of `text` that fit in `max` characters. */
function previewOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max);
  return `${text.slice(0, cut > max / 2 ? cut : max)}\n…`;
}
