import { discordTime, formatDuration } from '../text.js';

/** Discord's epoch (2015-01-01T00:00:00Z): a snowflake's top 42 bits count ms from it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** When a Discord account (or anything with a snowflake id) was created, in ms since the epoch. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

/** The anti-alt gates of `/claim` and `/redeem` (0 = off). */
export interface Gates {
  accountAgeMs: number;
  memberAgeMs: number;
}

/** Who is asking: the user id (account age) and when they joined the guild, if known. */
export interface Claimant {
  userId: string;
  /** ms since the epoch; null outside a guild or when Discord did not say. */
  joinedAt: number | null;
}

/**
 * Why `claimant` may not claim yet under `gates`, in words for them, or null
 * when they may. Account age comes from the user id's timestamp and member
 * age from `joined_at` in the interaction, so no privileged intent is needed.
 * A member-age gate with no join time known refuses (it cannot be checked).
 */
export function gateRefusal(gates: Gates, claimant: Claimant, now: number): string | null {
  if (gates.accountAgeMs > 0) {
    const opensAt = snowflakeTime(claimant.userId) + gates.accountAgeMs;
    if (opensAt > now)
      return (
        `Your Discord account must be at least ${formatDuration(gates.accountAgeMs)} old to earn rewards here. ` +
        `You can try again ${discordTime(new Date(opensAt), 'R')}.`
      );
  }
  if (gates.memberAgeMs > 0) {
    if (claimant.joinedAt === null)
      return 'Rewards can only be earned inside the server (your join date is needed to check the member-age rule).';
    const opensAt = claimant.joinedAt + gates.memberAgeMs;
    if (opensAt > now)
      return (
        `You must have been a member of this server for ${formatDuration(gates.memberAgeMs)} to earn rewards here. ` +
        `You can try again ${discordTime(new Date(opensAt), 'R')}.`
      );
  }
  return null;
}
