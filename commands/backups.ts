import type { APIEmbed, ChatInputCommandInteraction, SlashCommandStringOption } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import { beginUserAction } from '../src/user/action.js';
import type { Context } from '../src/context.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import type { Backup } from '../src/atomichost/schemas.js';
import { refuseWithoutKey, userApi } from '../src/user/api.js';
import {
  autocompleteUserOption,
  backupIdFrom,
  serverOption,
  userCommand,
  chosenServerId,
} from '../src/user/options.js';
import { withCredits } from '../src/user/footer.js';
import { serverLabel, serverTitle } from '../src/user/power.js';
import { clipLine, clipList, codeSpan, discordDate, formatBytes, plain } from '../src/text.js';

/** The panel caps backup names at 191 characters. */
const NAME_MAX = 191;

const backupOption = (o: SlashCommandStringOption) =>
  o
    .setName('backup')
    .setDescription('One of the server’s backups (type to search)')
    .setRequired(true)
    .setAutocomplete(true)
    .setMaxLength(100);

const data = userCommand('backups', "Your servers' backups")
  .addSubcommand((sub) =>
    sub.setName('list').setDescription("List a server's backups").addStringOption(serverOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('create')
      .setDescription('Start a backup')
      .addStringOption(serverOption)
      .addStringOption((o) =>
        o.setName('name').setDescription('Name of the backup (default: the time)').setMaxLength(NAME_MAX),
      )
      .addStringOption((o) =>
        o
          .setName('ignored')
          .setDescription('Files to leave out, comma-separated patterns, e.g. logs/*, *.tmp')
          .setMaxLength(2000),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('info')
      .setDescription("A backup's details")
      .addStringOption(serverOption)
      .addStringOption(backupOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('delete')
      .setDescription('Delete a backup (asks first)')
      .addStringOption(serverOption)
      .addStringOption(backupOption),
  )
  .toJSON();

function stateOf(b: Backup): string {
  if (b.is_successful === false) return '❌ failed';
  if (!b.completed_at) return '⏳ in progress';
  return '✅ done';
}

function line(b: Backup): string {
  const size = typeof b.bytes === 'number' ? ` · ${formatBytes(b.bytes)}` : '';
  const lock = b.is_locked ? ' · 🔒 locked' : '';
  return `**${plain(b.name, 100)}** · ${codeSpan(b.uuid.slice(0, 8))} · ${stateOf(b)}${size} · ${discordDate(b.created_at, 'f')}${lock}`;
}

function backupEmbed(title: string, b: Backup): APIEmbed {
  return {
    title: clipLine(title, 256),
    color: b.is_successful === false ? Colors.error : Colors.info,
    fields: [
      { name: 'Name', value: plain(b.name, 200) || '—', inline: false },
      { name: 'ID', value: codeSpan(b.uuid, 100), inline: false },
      { name: 'State', value: stateOf(b), inline: true },
      { name: 'Size', value: typeof b.bytes === 'number' ? formatBytes(b.bytes) : '—', inline: true },
      { name: 'Locked', value: b.is_locked ? '🔒 yes' : 'no', inline: true },
      { name: 'Created', value: discordDate(b.created_at), inline: true },
      { name: 'Completed', value: discordDate(b.completed_at), inline: true },
      ...(b.checksum ? [{ name: 'Checksum', value: codeSpan(b.checksum, 200), inline: false }] : []),
      ...(b.ignored_files.length
        ? [
            {
              name: 'Ignored',
              value: clipLine(b.ignored_files.map((f) => codeSpan(f, 80)).join(' '), 1000),
              inline: false,
            },
          ]
        : []),
    ],
  };
}

async function list(interaction: ChatInputCommandInteraction, ctx: Context) {
  const serverId = chosenServerId(interaction, ctx);
  const api = await beginUserAction(interaction, ctx);
  const { data: backups, limits } = await api.listBackups(serverId);
  ctx.userCaches.backups.set(ctx.userCaches.backupsKey(interaction.user.id, serverId), backups);
  const lines = backups.map(line);
  const description =
    lines.length === 0
      ? 'This server has no backups yet. Make one with `/backups create`.'
      : clipList(lines, 3900).join('\n');
  await respond(interaction, {
    embeds: [
      withCredits(
        {
          title: clipLine(`Backups of ${serverTitle(ctx, interaction.user.id, serverId)}`, 256),
          color: Colors.info,
          description,
        },
        limits,
      ),
    ],
  });
}

/** `logs/*, *.tmp` → the API's newline-separated pattern list. */
export function ignoredPatterns(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  const patterns = raw
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  return patterns.length ? patterns.join('\n') : undefined;
}

async function create(interaction: ChatInputCommandInteraction, ctx: Context) {
  const serverId = chosenServerId(interaction, ctx);
  const rawName = interaction.options.getString('name');
  const name = rawName?.trim();
  if (rawName !== null && !name) throw new UserError('The backup name cannot be blank.', 'Invalid name');
  // eslint-disable-next-line no-control-regex
  if (name && /[\u0000-\u001f\u007f]/.test(name))
    throw new UserError('The backup name cannot contain control characters.', 'Invalid name');
  const ignored = ignoredPatterns(interaction.options.getString('ignored'));
  const api = await beginUserAction(interaction, ctx);
  const { data: backup, limits } = await api.createBackup(serverId, {
    ...(name ? { name } : {}),
    ...(ignored ? { ignored } : {}),
  });
  ctx.userCaches.backups.delete(ctx.userCaches.backupsKey(interaction.user.id, serverId));
  await respond(interaction, {
    embeds: [withCredits({ ...backupEmbed('Backup started', backup), color: Colors.success }, limits)],
  });
}

async function info(interaction: ChatInputCommandInteraction, ctx: Context) {
  const serverId = chosenServerId(interaction, ctx);
  const backupId = backupIdFrom(interaction.options.getString('backup', true));
  const api = await beginUserAction(interaction, ctx);
  const { data: backup, limits } = await api.getBackup(serverId, backupId);
  await respond(interaction, { embeds: [withCredits(backupEmbed(`Backup ${backup.name}`, backup), limits)] });
}

const deletion = defineConfirmation<{ serverId: string; backupId: string }>({
  name: 'backups-delete',
  commandPath: 'backups delete',
  async run(interaction, { serverId, backupId }, ctx) {
    const api = await userApi(interaction.user, ctx);
    const { limits } = await api.deleteBackup(serverId, backupId);
    ctx.userCaches.backups.delete(ctx.userCaches.backupsKey(interaction.user.id, serverId));
    await respond(interaction, {
      embeds: [
        withCredits(
          {
            title: 'Backup deleted',
            description: `Backup \`${backupId}\` was deleted from ${serverLabel(ctx, interaction.user.id, serverId)}.`,
            color: Colors.success,
          },
          limits,
        ),
      ],
      components: [],
    });
  },
});

async function remove(interaction: ChatInputCommandInteraction, ctx: Context) {
  const serverId = chosenServerId(interaction, ctx);
  const backupId = backupIdFrom(interaction.options.getString('backup', true));
  await refuseWithoutKey(interaction.user.id, ctx);
  const known = ctx.userCaches.backups
    .peek(ctx.userCaches.backupsKey(interaction.user.id, serverId))
    ?.value.find((b) => b.uuid === backupId);
  await deletion.ask(interaction, ctx, {
    embed: {
      title: `Delete backup ${clipLine(known?.name ?? backupId.slice(0, 8), 200)}?`,
      description: `This permanently deletes backup \`${backupId}\` of ${serverLabel(ctx, interaction.user.id, serverId)}. It can't be restored afterwards.`,
    },
    confirmLabel: 'Delete backup',
    payload: { serverId, backupId },
  });
}

export default defineCommand({
  data,
  subcommands: {
    list: { tier: 'user', run: list },
    create: { tier: 'user', run: create },
    info: { tier: 'user', run: info },
    delete: { tier: 'user', run: remove },
  },
  autocomplete: autocompleteUserOption,
  components: [deletion.component],
});
