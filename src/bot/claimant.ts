import { GuildMember, type Interaction } from 'discord.js';
import type { Claimant } from '../rewards/gates.js';

/**
 * The gate subject of an interaction: the user id (account age) and when the
 * member joined, read from the interaction's own member data (no privileged
 * intent, no fetch). Null join time outside a guild or when Discord omitted it.
 */
export function claimantOf(interaction: Interaction): Claimant {
  const member = interaction.member;
  let joinedAt: number | null = null;
  if (member instanceof GuildMember) joinedAt = member.joinedTimestamp;
  else if (member && typeof member.joined_at === 'string') {
    const parsed = Date.parse(member.joined_at);
    joinedAt = Number.isNaN(parsed) ? null : parsed;
  }
  return { userId: interaction.user.id, joinedAt };
}
