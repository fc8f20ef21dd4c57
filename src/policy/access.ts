import type { Config } from '../config.js';
import type { Tier } from './tiers.js';

export type AccessDecision = { allowed: true; tier: Tier } | { allowed: false; reason: string };

export interface Caller {
  /** Role ids of the member in the guild the interaction came from; null outside a guild. */
  roles: readonly string[] | null;
}

/**
 * Decides from the member's roles alone; never calls anything. `tier` is the
 * path's entry in the loader's tier table (undefined: not a known path).
 */
export function decideAccess(
  commandPath: string,
  tier: Tier | undefined,
  caller: Caller,
  config: Config,
): AccessDecision {
  if (!tier) return { allowed: false, reason: 'This command is not available.' };
  if (tier === 'user') return { allowed: true, tier };

  const admins = config.ADMIN_ROLE_IDS;
  const moderators = config.MODERATOR_ROLE_IDS;
  if (admins.size === 0 && moderators.size === 0) {
    return {
      allowed: false,
      reason:
        'Moderator commands are turned off: no roles are configured. The bot operator must set ' +
        '`MODERATOR_ROLE_IDS` and/or `ADMIN_ROLE_IDS`.',
    };
  }
  if (caller.roles === null) {
    return { allowed: false, reason: 'Moderator commands can only be used inside a server.' };
  }
  const has = (ids: ReadonlySet<string>): boolean => caller.roles!.some((role) => ids.has(role));
  if (tier === 'admin') {
    if (admins.size === 0) {
      return {
        allowed: false,
        reason: '`/' + commandPath + '` needs an admin role, and none is configured (`ADMIN_ROLE_IDS`).',
      };
    }
    return has(admins)
      ? { allowed: true, tier }
      : {
          allowed: false,
          reason: '`/' + commandPath + '` is for admins only: you need one of the admin roles.',
        };
  }
  return has(admins) || has(moderators)
    ? { allowed: true, tier }
    : {
        allowed: false,
        reason: '`/' + commandPath + '` is for moderators: you need a moderator or admin role.',
      };
}
