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
  // Moderator side (Heliactyl): reads and bans for moderators, balances and plans for admins.
  'user info': 'moderator',
  'user servers': 'moderator',
  'user activity': 'moderator',
  ban: 'moderator',
  unban: 'moderator',
  'coins balance': 'moderator',
  'coins add': 'admin',
  'coins set': 'admin',
  'plan set': 'admin',
  'plan remove': 'admin',
  'resources set': 'admin',
  'renewal give': 'admin',
  'renewal remove': 'admin',
  // User side: anyone, acting with their own stored AtomicHost key.
  'apikey set': 'user',
  'apikey status': 'user',
  'apikey remove': 'user',
  'server list': 'user',
  'server info': 'user',
  'server status': 'user',
  'server power': 'user',
  'server watch': 'user',
  'server unwatch': 'user',
  'server schedule': 'user',
  'server schedules': 'user',
  'server remind': 'user',
  'console stream': 'user',
  'console send': 'user',
  'files list': 'user',
  'files read': 'user',
  'files write': 'user',
  'files delete': 'user',
  'files mkdir': 'user',
  'files rename': 'user',
  'files download': 'user',
  'files upload': 'user',
  'backups list': 'user',
  'backups create': 'user',
  'backups info': 'user',
  'backups delete': 'user',
  // General: anyone, anywhere; it lists only what the caller may use.
  help: 'user',
};

export function tierFor(commandPath: string): Tier | undefined {
  return COMMAND_TIERS[commandPath];
}
