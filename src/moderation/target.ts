import type {
  ChatInputCommandInteraction,
  SlashCommandStringOption,
  SlashCommandUserOption,
} from 'discord.js';
import { MAX_ID_LENGTH, parseInput, targetInput } from './input.js';
import { clip, codeSpan } from '../text.js';

/**
 * The account a moderator command acts on: named by `user` (a Discord member;
 * the dashboard id of a Discord login is the Discord user id) or by `id` (a
 * raw dashboard id for Google, GitHub or local accounts) — exactly one.
 */
export interface Target {
  /** The dashboard id sent to the API. */
  id: string;
  kind: 'discord' | 'raw';
  /** For embed bodies: `<@id> (`id`)` or `` `id` ``. Mentions in embeds never ping. */
  display: string;
  /** For titles (no markdown there): `@name` or the raw id. */
  name: string;
}

export function discordTarget(id: string, username?: string): Target {
  return {
    id,
    kind: 'discord',
    display: `<@${id}> (${codeSpan(id)})`,
    name: clip(username ? `@${username}` : id, 80),
  };
}

export function rawTarget(id: string): Target {
  return { id, kind: 'raw', display: codeSpan(id), name: clip(id, 80) };
}

/** The raw value of an option as the interaction carried it (no type coercion, no throwing). */
export function rawOption(interaction: ChatInputCommandInteraction, name: string): unknown {
  return interaction.options.get(name)?.value;
}

/** Reads and validates `user` / `id`; throws a UserError when not exactly one valid value is given. */
export function resolveTarget(interaction: ChatInputCommandInteraction): Target {
  const raw = { user: rawOption(interaction, 'user'), id: rawOption(interaction, 'id') };
  const input = parseInput(targetInput, raw);
  if (input.user !== undefined) {
    return discordTarget(input.user, interaction.options.get('user')?.user?.username);
  }
  return rawTarget(input.id!);
}

/** Option builders shared by every command that names an account. */
export function targetUserOption(option: SlashCommandUserOption): SlashCommandUserOption {
  return option.setName('user').setDescription('The member whose dashboard account this is (or use id)');
}

export function targetIdOption(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName('id')
    .setDescription('A dashboard id, for Google, GitHub or local accounts (instead of user)')
    .setMinLength(1)
    .setMaxLength(MAX_ID_LENGTH);
}
