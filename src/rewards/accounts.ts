import type { HeliactylClient } from '../heliactyl/client.js';
import { HeliactylError } from '../heliactyl/errors.js';

/**
 * Whether the dashboard has an account for this Discord id (the account of
 * a member is the dashboard account with the same id): one paced
 * `userinfo`. `invalid id` means no account; a panel-side failure still
 * means the dashboard knows the id; anything else is 'unavailable'.
 */
export async function dashboardAccountExists(
  heliactyl: HeliactylClient | null,
  userId: string,
): Promise<boolean | 'unavailable'> {
  if (!heliactyl) return 'unavailable';
  try {
    await heliactyl.userInfo(userId);
    return true;
  } catch (error) {
    if (error instanceof HeliactylError && error.kind === 'unknown_user') return false;
    if (error instanceof HeliactylError && error.kind === 'panel_unavailable') return true;
    return 'unavailable';
  }
}
