import {
  ButtonStyle,
  ComponentType,
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIEmbed,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type SlashCommandStringOption,
} from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { encodeCustomId } from '../src/bot/custom-id.js';
import { defer, respond, type ReplyPayload } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import { normalizeRemotePath, validateRemoteName } from '../src/atomichost/remote-path.js';
import type { Limits } from '../src/atomichost/limits.js';
import type { AtomicHostApi } from '../src/atomichost/client.js';
import { refuseWithoutKey, userApi } from '../src/user/api.js';
import { autocompleteUserOption, serverOption, userCommand, chosenServerId } from '../src/user/options.js';
import { withCredits } from '../src/user/footer.js';
import { attachmentName, baseName, languageFor, looksBinary } from '../src/user/format.js';
import { clipLine, clipList, codeBlock, codeSpan, formatBytes, linkText, plain } from '../src/text.js';
import { fileDeletion } from '../src/user/file-delete.js';
import { serverLabel, serverTitle } from '../src/user/power.js';
import { MAX_UPLOAD_BYTES, MAX_WRITE_BYTES, downloadAttachment, streamUpload } from '../src/user/transfer.js';

/** Longest text a modal's paragraph input takes (Discord's limit). */
const MODAL_TEXT_MAX = 4000;
/** Embed description budget for a file shown inline (fences included). */
const INLINE_MAX = 3900;
/** Largest file `read` attaches (Discord's attachment limit for bots is 10 MiB). */
const ATTACH_MAX = 8 * 1024 * 1024;
/** Discord caps link button URLs at 512 characters. */
const LINK_BUTTON_MAX = 512;

const pathOption = (required: boolean, description: string) => (o: SlashCommandStringOption) =>
  o.setName('path').setDescription(description).setRequired(required).setMaxLength(1024);

const data = userCommand('files', "Your servers' files")
  .addSubcommand((sub) =>
    sub
      .setName('list')
      .setDescription('List a folder')
      .addStringOption(serverOption)
      .addStringOption(pathOption(false, 'Folder to list (default /)')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('read')
      .setDescription('Show a text file (only to you)')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File to read, e.g. /server.properties')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('write')
      .setDescription('Replace a text file with an attached file, or with text typed in a form')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File to write, e.g. /config/settings.yml'))
      .addAttachmentOption((o) =>
        o.setName('file').setDescription('Text file whose content to write (else a form opens)'),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('delete')
      .setDescription('Delete a file or folder (asks first)')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File or folder to delete')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('mkdir')
      .setDescription('Create a folder')
      .addStringOption(serverOption)
      .addStringOption((o) =>
        o.setName('name').setDescription('Name of the new folder').setRequired(true).setMaxLength(255),
      )
      .addStringOption(pathOption(false, 'Parent folder (default /)')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('rename')
      .setDescription('Rename a file or folder')
      .addStringOption(serverOption)
      .addStringOption((o) =>
        o.setName('from').setDescription('Current name').setRequired(true).setMaxLength(255),
      )
      .addStringOption((o) => o.setName('to').setDescription('New name').setRequired(true).setMaxLength(255))
      .addStringOption(pathOption(false, 'Folder holding it (default /)')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('download')
      .setDescription('Get a one-time download link for a file')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File to download')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('upload')
      .setDescription(
        `Upload an attached file (up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB), or get a one-time upload link`,
      )
      .addStringOption(serverOption)
      .addStringOption(pathOption(false, 'Folder to upload into (default /)'))
      .addAttachmentOption((o) => o.setName('file').setDescription('The file to upload')),
  )
  .toJSON();

function done(title: string, description: string, limits: Limits): ReplyPayload {
  return { embeds: [withCredits({ title, description, color: Colors.success }, limits)], components: [] };
}

function target(interaction: ChatInputCommandInteraction, ctx: Context) {
  return {
    serverId: chosenServerId(interaction, ctx),
  };
}

/** A path naming a file or folder (not the root). */
function itemPath(raw: string): string {
  const path = normalizeRemotePath(raw);
  if (path === '/') throw new UserError('Give the path of a file, not the root folder `/`.', 'Invalid path');
  return path;
}

function linkRow(label: string, url: string) {
  return {
    type: ComponentType.ActionRow as const,
    components: [{ type: ComponentType.Button as const, style: ButtonStyle.Link as const, label, url }],
  };
}

// --- list ----------------------------------------------------------------------

async function list(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = normalizeRemotePath(interaction.options.getString('path') ?? '/');
  await defer(interaction, { ephemeral: true });
  const api = await userApi(interaction.user, ctx);
  const { data: listing, limits } = await api.listFiles(serverId, path);
  const folders = listing.files.filter((f) => !f.is_file);
  const files = listing.files.filter((f) => f.is_file);
  const lines = [
    ...folders.map((f) => `📁 ${plain(f.name, 120)}/`),
    ...files.map((f) => `📄 ${plain(f.name, 120)} — ${formatBytes(f.size)}`),
  ];
  const shown = clipList(lines, INLINE_MAX);
  const count = `${folders.length} folder${folders.length === 1 ? '' : 's'}, ${files.length} file${files.length === 1 ? '' : 's'}`;
  const embed: APIEmbed = {
    title: clipLine(`Files in ${listing.path || path}`, 256),
    color: Colors.info,
    description: lines.length === 0 ? 'This folder is empty.' : `${count}\n\n${shown.join('\n')}`,
  };
  await respond(interaction, { embeds: [withCredits(embed, limits)] });
}

// --- read ----------------------------------------------------------------------

async function read(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = itemPath(interaction.options.getString('path', true));
  await defer(interaction, { ephemeral: true });
  const api = await userApi(interaction.user, ctx);
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

// --- write ---------------------------------------------------------------------

interface WriteTarget {
  serverId: string;
  path: string;
}

/** Where a write form's content goes: in ctx.state under the modal's `name:key`. */
const WRITE_FORM_TTL_MS = 15 * 60_000;
const WRITE_MODAL = 'files-write';
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

async function write(interaction: ChatInputCommandInteraction, ctx: Context) {
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

async function writeFromModal(interaction: ModalSubmitInteraction, state: string[], ctx: Context) {
  const pending = ctx.state.take<WriteTarget>(WRITE_MODAL, state[0] ?? '', interaction.user.id);
  if (!pending) {
    throw new UserError(
      'This form has expired (or was opened by someone else). Run `/files write` again — nothing was written.',
      'Form expired',
    );
  }
  const content = interaction.fields.getTextInputValue(CONTENT_FIELD);
  await defer(interaction, { ephemeral: true });
  const api = await userApi(interaction.user, ctx);
  await writeContent(interaction, api, pending, content);
}

// --- delete --------------------------------------------------------------------

async function remove(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = itemPath(interaction.options.getString('path', true));
  await fileDeletion.ask(interaction, ctx, { serverId, path });
}

// --- mkdir, rename -------------------------------------------------------------

async function mkdir(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const parent = normalizeRemotePath(interaction.options.getString('path') ?? '/');
  const name = validateRemoteName(interaction.options.getString('name', true));
  await defer(interaction, { ephemeral: true });
  const api = await userApi(interaction.user, ctx);
  const { data: result, limits } = await api.createFolder(serverId, parent, name);
  const created = result.path ?? (parent === '/' ? `/${name}` : `${parent}/${name}`);
  await respond(interaction, done('Folder created', `Created ${codeSpan(created)}.`, limits));
}

async function rename(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const root = normalizeRemotePath(interaction.options.getString('path') ?? '/');
  const from = validateRemoteName(interaction.options.getString('from', true));
  const to = validateRemoteName(interaction.options.getString('to', true));
  if (from === to) throw new UserError('The new name is the same as the old one.', 'Nothing to rename');
  await defer(interaction, { ephemeral: true });
  const api = await userApi(interaction.user, ctx);
  const { limits } = await api.rename(serverId, root, from, to);
  const inRoot = (name: string) => (root === '/' ? `/${name}` : `${root}/${name}`);
  await respond(
    interaction,
    done('Renamed', `${codeSpan(inRoot(from))} is now ${codeSpan(inRoot(to))}.`, limits),
  );
}

// --- download, upload ----------------------------------------------------------

async function download(interaction: ChatInputCommandInteraction, ctx: Context) {
  const { serverId } = target(interaction, ctx);
  const path = itemPath(interaction.options.getString('path', true));
  await defer(interaction, { ephemeral: true });
  const api = await userApi(interaction.user, ctx);
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

async function upload(interaction: ChatInputCommandInteraction, ctx: Context) {
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
  await defer(interaction, { ephemeral: true });
  const api = await userApi(interaction.user, ctx);
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

export default defineCommand({
  data,
  async execute(interaction, ctx) {
    const sub = interaction.options.getSubcommand();
    switch (sub) {
      case 'list':
        return list(interaction, ctx);
      case 'read':
        return read(interaction, ctx);
      case 'write':
        return write(interaction, ctx);
      case 'delete':
        return remove(interaction, ctx);
      case 'mkdir':
        return mkdir(interaction, ctx);
      case 'rename':
        return rename(interaction, ctx);
      case 'download':
        return download(interaction, ctx);
      case 'upload':
        return upload(interaction, ctx);
      default:
        throw new UserError('Unknown subcommand.');
    }
  },
  autocomplete: autocompleteUserOption,
  components: [
    { name: WRITE_MODAL, commandPath: 'files write', modal: writeFromModal },
    fileDeletion.component,
  ],
});
