import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';

/**
 * Starting point for every moderator-side command: guild-only, and hidden
 * from members without "Moderate Members" as a first fence (server admins
 * can change that under Server Settings → Integrations). The bot still
 * checks roles itself on every interaction.
 */
export function moderatorCommand(name: string, description: string): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ModerateMembers);
}
