import {
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Context } from '../../src/context.js';
import { encodeCustomId } from '../../src/bot/custom-id.js';
import { defer, respond } from '../../src/bot/respond.js';
import { UserError } from '../../src/errors.js';
import type { AtomicHostApi } from '../../src/atomichost/client.js';
import { refuseWithoutKey, userApi } from '../../src/user/api.js';
import { baseName, looksBinary } from '../../src/user/format.js';
import { clipLine, codeSpan, formatBytes } from '../../src/text.js';
import { serverTitle } from '../../src/user/power.js';
import { MAX_WRITE_BYTES, downloadAttachment } from '../../src/user/transfer.js';
import { MODAL_TEXT_MAX, done, target, itemPath } from './shared.js';
import { beginUserAction } from '../../src/user/action.js';

interface WriteTarget {
  serverId: string;
  path: string;
}

/** Where a write form's content goes: in ctx.state under the modal's `name:key`. */
const WRITE_FORM_TTL_MS = 15 * 60_000;
export const WRITE_MODAL = 'files-write';
const CONTENT_FIELD = 'content';

async function writeContent(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  api: AtomicHostApi,
  { serverId, path }: WriteTarget,
  content: string,
) {
  await defer(interaction, { ephemeral: true });
  const { data: result, limits } = await api.writeFile(serverId, path, content);
  const size = result.size ?? Buffer.byteLength(content);
  await respond(
    interaction,
    done('File written', `Wrote ${formatBytes(size)} to ${codeSpan(path)}.`, limits),
  );
}

export async function write(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = itemPath(interaction.options.getString('path', true));
  const attachment = interaction.options.getAttachment('file');
  if (attachment) {
    if (attachment.size > MAX_WRITE_BYTES) {
      throw new UserError(
        `\`/files write\` takes text files up to ${formatBytes(MAX_WRITE_BYTES)}; this one is ${formatBytes(attachment.size)}. Use \`/files upload\` for larger files.`,
        'File too large',
      );
    }
    await defer(interaction, { ephemeral: true });
    const api = await userApi(interaction.user, ctx);
    const bytes = await downloadAttachment(
      { name: attachment.name, size: attachment.size, url: attachment.url },
      {
        limit: MAX_WRITE_BYTES,
        discordApiUrl: ctx.config.DISCORD_API_URL,
        timeoutMs: ctx.config.HTTP_TIMEOUT_MS,
      },
    );
    const text = bytes.toString('utf8');
    if (looksBinary(text)) {
      throw new UserError(
        "That attachment isn't a text file. Use `/files upload` to put binary files on your server.",
        'Not a text file',
      );
    }
    await writeContent(interaction, api, { serverId, path }, text);
    return;
  }
  // Fail before the form opens when there is no key to use afterwards.
  await refuseWithoutKey(interaction.user.id, ctx);
  const token = ctx.state.put(WRITE_MODAL, { serverId, path } satisfies WriteTarget, {
    ttlMs: WRITE_FORM_TTL_MS,
    ownerId: interaction.user.id,
  });
  const modal = new ModalBuilder()
    .setCustomId(encodeCustomId(WRITE_MODAL, token))
    .setTitle(clipLine(`Write ${baseName(path)}`, 45))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('New content')
        .setDescription(
          clipLine(
            `Replaces the whole file ${path} on ${serverTitle(ctx, interaction.user.id, serverId)}.`,
            100,
          ),
        )
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(CONTENT_FIELD)
            .setStyle(TextInputStyle.Paragraph)
            .setMaxLength(MODAL_TEXT_MAX)
            .setRequired(false),
        ),
    );
  await interaction.showModal(modal);
}

export async function writeFromModal(interaction: ModalSubmitInteraction, state: string[], ctx: Context) {
  const pending = ctx.state.take<WriteTarget>(WRITE_MODAL, state[0] ?? '', interaction.user.id);
  if (!pending) {
    throw new UserError(
      'This form has expired (or was opened by someone else). Run `/files write` again — nothing was written.',
      'Form expired',
    );
  }
  const content = interaction.fields.getTextInputValue(CONTENT_FIELD);
  const api = await beginUserAction(interaction, ctx);
  await writeContent(interaction, api, pending, content);
}
