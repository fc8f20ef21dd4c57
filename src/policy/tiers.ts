/**
 * Who may run what. Each command module declares the tier of every path it
 * handles; the loader builds the table from those declarations and the router
 * enforces it for chat input, autocomplete, buttons and modals alike, so a
 * command module cannot forget a check.
 *
 * - `admin`: ADMIN_ROLE_IDS only
 * - `moderator`: MODERATOR_ROLE_IDS or ADMIN_ROLE_IDS
 * - `user`: anyone (user-side commands act with the caller's own key)
 */
export type Tier = 'admin' | 'moderator' | 'user';

/** Command path (`name`, `name sub` or `name group sub`) → tier. */
export type TierTable = ReadonlyMap<string, Tier>;
