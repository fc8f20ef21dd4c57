import { type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { UserError } from '../../src/errors.js';
import { normalizeRemotePath, validateRemoteName } from '../../src/atomichost/remote-path.js';
import { withCredits } from '../../src/user/footer.js';
import { clipLine, codeSpan, formatBytes, linkText } from '../../src/text.js';
import { serverLabel } from '../../src/user/power.js';
import { MAX_UPLOAD_BYTES, streamUpload } from '../../src/user/transfer.js';
import { LINK_BUTTON_MAX, done, target, linkRow } from './shared.js';
import { beginUserAction } from '../../src/user/action.js';

export async function upload(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const folder = normalizeRemotePath(interaction.options.getString('path') ?? '/');
  const attachment = interaction.options.getAttachment('file');
  if (attachment && attachment.size > MAX_UPLOAD_BYTES) {
    throw new UserError(
      `Hostlink passes on attachments up to ${formatBytes(MAX_UPLOAD_BYTES)}; this one is ${formatBytes(attachment.size)}. ` +
        'Run `/files upload` without a file to get a one-time upload link instead.',
      'File too large',
    );
  }
  const fileName = attachment ? validateRemoteName(attachment.name) : undefined;
  const api = await beginUserAction(interaction, ctx);
  const { data: link, limits } = await api.uploadUrl(serverId, folder);
  if (!attachment || !fileName) {
    const fits = link.url.length <= LINK_BUTTON_MAX;
    await respond(interaction, {
      embeds: [
        withCredits(
          {
            title: clipLine(`Upload into ${folder}`, 256),
            color: Colors.info,
            description:
              `A one-time upload link for ${codeSpan(folder)} on ${serverLabel(ctx, interaction.user.id, serverId)}: send the file with an HTTP ` +
              '`POST` as `multipart/form-data` in a field named `files` (e.g. `curl -F "files=@world.zip" "<link>"`). ' +
              `It works once, for a short time. Or run this command again with a \`file\` attached (up to ${formatBytes(MAX_UPLOAD_BYTES)}).` +
              (fits ? '' : `\n\n${linkText(link.url)}`),
          },
          limits,
        ),
      ],
      components: fits ? [linkRow('Upload link', link.url)] : [],
    });
    return;
  }
  const sent = await streamUpload(
    { name: attachment.name, size: attachment.size, url: attachment.url, fileName },
    link.url,
    {
      limit: MAX_UPLOAD_BYTES,
      discordApiUrl: ctx.config.DISCORD_API_URL,
      timeoutMs: ctx.config.HTTP_TIMEOUT_MS,
      allowedHosts: ctx.config.ATOMICHOST_TRANSFER_HOSTS,
    },
  );
  const path = folder === '/' ? `/${fileName}` : `${folder}/${fileName}`;
  await respond(
    interaction,
    done(
      'Uploaded',
      `${codeSpan(path)} (${formatBytes(sent)}) is on ${serverLabel(ctx, interaction.user.id, serverId)}.`,
      limits,
    ),
  );
}
