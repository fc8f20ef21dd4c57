import {
  MessageFlags,
  type APIEmbed,
  type ActionRowData,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type AttachmentPayload,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageActionRowComponentData,
  type ModalSubmitInteraction,
} from 'discord.js';
import { Colors } from './style.js';
import { fitEmbeds } from './embed-limits.js';
import { clip } from '../text.js';

/** Mentions stay off unless a message explicitly means to ping someone. */
export const NO_MENTIONS = { parse: [] as [] };

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<
    APIActionRowComponent<APIComponentInMessageActionRow> | ActionRowData<MessageActionRowComponentData>
  >;
  files?: AttachmentPayload[];
  /** Only used when this is the first answer; a deferred reply keeps the visibility it was deferred with. */
  ephemeral?: boolean;
}

/**
 * Answers whether or not the interaction was deferred or already answered:
 * first answer → reply; deferred → edit the deferred reply; answered →
 * follow up (ephemeral when asked).
 */
export async function respond(interaction: RepliableInteraction, payload: ReplyPayload): Promise<void> {
  const { ephemeral = true, ...body } = payload;
  const message = { ...fitMessage(body), allowedMentions: NO_MENTIONS };
  if (interaction.deferred && !interaction.replied) {
    await interaction.editReply(message);
  } else if (interaction.replied) {
    await interaction.followUp({ ...message, flags: ephemeral ? MessageFlags.Ephemeral : undefined });
  } else {
    await interaction.reply({ ...message, flags: ephemeral ? MessageFlags.Ephemeral : undefined });
  }
}

/** Content and embeds within Discord's limits (2000 characters; see embed-limits.ts). */
export function fitMessage<T extends { content?: string; embeds?: APIEmbed[] }>(message: T): T {
  return {
    ...message,
    ...(message.content !== undefined ? { content: clip(message.content, 2000) } : {}),
    ...(message.embeds ? { embeds: fitEmbeds(message.embeds) } : {}),
  };
}

/** Acknowledges now so upstream calls may take longer than Discord's 3 s. */
export async function defer(
  interaction: RepliableInteraction,
  options: { ephemeral: boolean },
): Promise<void> {
  if (interaction.deferred || interaction.replied) return;
  await interaction.deferReply({ flags: options.ephemeral ? MessageFlags.Ephemeral : undefined });
}

export function errorEmbed(message: string, title = 'Something is wrong'): APIEmbed {
  return { title, description: message, color: Colors.error };
}
