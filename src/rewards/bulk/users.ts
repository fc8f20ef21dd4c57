import { codeSpan } from '../../text.js';

/** Most members one `/coins grant` may pay. */
export const MAX_BULK_USERS = 100;
/** Longest `users` text read (100 mentions with separators fit in well under this). */
export const MAX_USERS_TEXT = 4000;

export type ParsedUsers = { ok: true; userIds: string[] } | { ok: false; problem: string };

/** A Discord user id. */
export const SNOWFLAKE = /^\d{17,20}$/;
const MENTION = /^<@!?(\d{17,20})>$/;

/**
 * The members of a bulk grant: mentions (`<@id>`, `<@!id>`) or raw user ids,
 * separated by spaces or commas, deduplicated in the order given. Anything
 * else is refused with the offending token named, so nothing is paid on a typo.
 */
export function parseBulkUsers(text: string): ParsedUsers {
  if (text.length > MAX_USERS_TEXT)
    return {
      ok: false,
      problem: `The list of users is too long (over ${MAX_USERS_TEXT} characters); give at most ${MAX_BULK_USERS} members.`,
    };
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) return { ok: false, problem: 'Give at least one member: mentions or user ids.' };
  const seen = new Set<string>();
  for (const token of tokens) {
    const id = MENTION.exec(token)?.[1] ?? (SNOWFLAKE.test(token) ? token : undefined);
    if (id === undefined) {
      const hint = token.startsWith('<@&')
        ? ' — that is a role; mention members one by one'
        : token.startsWith('<#')
          ? ' — that is a channel'
          : '';
      return {
        ok: false,
        problem: `${codeSpan(token, 40)} is not a member mention or a user id${hint}. Separate members with spaces or commas; nothing was granted.`,
      };
    }
    seen.add(id);
    if (seen.size > MAX_BULK_USERS)
      return {
        ok: false,
        problem: `That is more than ${MAX_BULK_USERS} members; split the grant into several commands. Nothing was granted.`,
      };
  }
  return { ok: true, userIds: [...seen] };
}
