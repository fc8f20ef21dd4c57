import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type SlashCommandStringOption,
} from 'discord.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import type { ServerSummary, Backup } from '../atomichost/schemas.js';
import { userApi } from './api.js';
import type { UserCaches } from './caches.js';
import type { TtlCache } from './cache.js';

/**
 * Starting point for every user-side command: usable in servers and in DMs
 * with the bot, for everyone (each user acts with their own key).
 */
export function userCommand(name: string, description: string): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
}

export function serverOption(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName('server')
    .setDescription('One of your AtomicHost servers (type to search)')
    .setRequired(true)
    .setAutocomplete(true)
    .setMaxLength(100);
}

/** Autocomplete must answer within 3 s; the router gives up at 2.5 s. */
const AUTOCOMPLETE_WAIT_MS = 2_000;
const MAX_CHOICES = 25;

function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Loads a list through the cache, waiting at most AUTOCOMPLETE_WAIT_MS: a
 * late fetch still fills the cache for the next keystroke, and meanwhile a
 * stale list (if any) is better than none. Errors (no key, revoked key,
 * upstream failure) give an empty list.
 */
async function cachedList<T>(
  cache: TtlCache<T[]>,
  key: string,
  load: () => Promise<T[] | undefined>,
  ctx: Context,
): Promise<T[]> {
  const fetching = cache.fetch(key, load).catch((error: unknown) => {
    ctx.logger.debug({ err: error }, 'Autocomplete lookup failed');
    return undefined;
  });
  const result = await within(fetching, AUTOCOMPLETE_WAIT_MS);
  if (result === 'late')
    void fetching.then(() => ctx.logger.debug({ key }, 'Late autocomplete lookup landed'));
  if (result !== 'late' && result !== undefined) return result;
  return cache.peek(key)?.value ?? [];
}

async function loadServers(userId: string, ctx: Context): Promise<ServerSummary[] | undefined> {
  if (!(await ctx.vault.has(userId))) return undefined;
  const api = await userApi({ id: userId }, ctx);
  return (await api.listServers()).data;
}

export function serverChoices(
  servers: ServerSummary[],
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  const query = typed.trim().toLowerCase();
  return servers
    .filter((s) => !query || s.name.toLowerCase().includes(query) || String(s.id).startsWith(query))
    .slice(0, MAX_CHOICES)
    .map((s) => ({ name: clip(`${s.name} (#${s.id})`), value: String(s.id) }));
}

export async function autocompleteServer(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
  const userId = interaction.user.id;
  const servers = await cachedList(ctx.userCaches.servers, userId, () => loadServers(userId, ctx), ctx);
  if (interaction.responded) return;
  await interaction.respond(serverChoices(servers, String(interaction.options.getFocused())));
}

export async function autocompleteBackup(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
  const userId = interaction.user.id;
  const raw = interaction.options.getString('server') ?? '';
  const serverId = /^\d{1,20}$/.test(raw.trim()) ? raw.trim() : undefined;
  let backups: Backup[] = [];
  if (serverId) {
    backups = await cachedList(
      ctx.userCaches.backups,
      ctx.userCaches.backupsKey(userId, serverId),
      async () => {
        if (!(await ctx.vault.has(userId))) return undefined;
        const api = await userApi({ id: userId }, ctx);
        return (await api.listBackups(serverId)).data;
      },
      ctx,
    );
  }
  if (interaction.responded) return;
  const query = String(interaction.options.getFocused()).trim().toLowerCase();
  await interaction.respond(
    backups
      .filter((b) => !query || b.name.toLowerCase().includes(query) || b.uuid.startsWith(query))
      .slice(0, MAX_CHOICES)
      .map((b) => ({ name: clip(`${b.name} (${b.uuid.slice(0, 8)})`), value: b.uuid.slice(0, 100) })),
  );
}

/** Routes a focused option to its list. */
export async function autocompleteUserOption(
  interaction: AutocompleteInteraction,
  ctx: Context,
): Promise<void> {
  const focused = interaction.options.getFocused(true).name;
  if (focused === 'server') return autocompleteServer(interaction, ctx);
  if (focused === 'backup') return autocompleteBackup(interaction, ctx);
  await interaction.respond([]);
}

/**
 * The service id from the `server` option: normally the id autocomplete put
 * there; a typed name is matched against the caller's cached list. Checked
 * locally, so a bad value costs no credit.
 */
export function serverIdFrom(value: string, userId: string, caches: UserCaches): string {
  const trimmed = value.trim();
  if (/^\d{1,20}$/.test(trimmed)) return trimmed;
  const hash = /\(#(\d{1,20})\)$/.exec(trimmed)?.[1];
  if (hash) return hash;
  const known = caches.servers.peek(userId)?.value ?? [];
  const matches = known.filter((s) => s.name.toLowerCase() === trimmed.toLowerCase());
  if (matches.length === 1) return String(matches[0]!.id);
  throw new UserError(
    'Pick a server from the suggestions of the `server` option (its value is the server id, e.g. `101`).',
    'Unknown server',
  );
}

/** The `server` option of a user-side command, as a checked service id. */
export function chosenServerId(
  interaction: { options: { getString(name: 'server', required: true): string }; user: { id: string } },
  ctx: Context,
): string {
  return serverIdFrom(interaction.options.getString('server', true), interaction.user.id, ctx.userCaches);
}

/** The server's name when the caller's cached list knows it (no API call). */
export function knownServerName(caches: UserCaches, userId: string, serverId: string): string | undefined {
  return caches.servers.peek(userId)?.value.find((s) => String(s.id) === serverId)?.name;
}

/** The backup uuid from the `backup` option (checked locally). */
export function backupIdFrom(value: string): string {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(trimmed)) {
    throw new UserError('Pick a backup from the suggestions of the `backup` option.', 'Unknown backup');
  }
  return trimmed;
}
