/**
 * Who may run what: one table from command path to tier. The router enforces
 * it for chat input, autocomplete, buttons and modals alike, so a command
 * module cannot forget a check.
 *
 * - `admin`: ADMIN_ROLE_IDS only
 * - `moderator`: MODERATOR_ROLE_IDS or ADMIN_ROLE_IDS
 * - `user`: anyone (user-side commands act with the caller's own key)
 */
export type Tier = 'admin' | 'moderator' | 'user';

/** Command path: `name`, `name sub` or `name group sub`. */
export const COMMAND_TIERS: Readonly<Record<string, Tier>> = {
  'panel status': 'moderator',
};

export function tierFor(commandPath: string): Tier | undefined {
  return COMMAND_TIERS[commandPath];
}
