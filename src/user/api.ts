import type { AtomicHostApi } from '../atomichost/client.js';
import { AtomicHostError, isKeyRevoked } from '../atomichost/errors.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { presentError } from '../presenter/errors.js';
import { KeyRefusedError } from './key-errors.js';

/** How a user adds a key: shown whenever a user-side command finds none. */
export const NO_KEY_MESSAGE =
  "You haven't added an AtomicHost API key yet. Run `/apikey set` and paste your key into the form — " +
  "it's stored encrypted and only you can use it. Generate a key on AtomicHost under " +
  '**Account Settings → API Access**.';

/**
 * The user's key changed or is gone: forget what was cached for them and end
 * their live consoles (they ran on the old key).
 */
export function forgetUser(discordUserId: string, ctx: Context, reason: string): void {
  ctx.userCaches.forget(discordUserId);
  void ctx.consoles.endUser(discordUserId, { text: reason, reconnect: false });
}

/**
 * On a revoked key (401 invalid_key, 403 account_banned): deletes the
 * user's stored key and throws a KeyRefusedError. `missing_token` is not the
 * user's key being bad (the bot always sends one): the key is kept. Anything
 * else is rethrown unchanged; src/presenter/errors.ts words them all.
 */
export async function handleRevocation(error: unknown, discordUserId: string, ctx: Context): Promise<never> {
  if (error instanceof AtomicHostError && error.code === 'missing_token') {
    ctx.logger.warn({ err: error }, 'AtomicHost says the request carried no API key');
    throw error;
  }
  if (error instanceof AtomicHostError && isKeyRevoked(error)) {
    const removed = await ctx.vault.delete(discordUserId).catch(() => false);
    const refused = new KeyRefusedError(error.code as KeyRefusedError['code'], true, { cause: error });
    forgetUser(discordUserId, ctx, presentError(refused)?.text ?? refused.message);
    ctx.logger.info({ code: error.code, removed }, 'Deleted a revoked AtomicHost key');
    throw refused;
  }
  throw error;
}

/**
 * How long a check made before the first answer (a confirmation question, a
 * form) may wait for the key store, leaving room in Discord's 3 s.
 */
export const KEY_CHECK_BUDGET_MS = 2_000;

/**
 * Refuses now when the caller certainly has no key, for handlers whose first
 * answer cannot be a defer (a question, a form). A store slower than the
 * budget does not hold the answer back: the key is looked up again when the
 * question is answered or the form sent, after a defer.
 */
export async function refuseWithoutKey(discordUserId: string, ctx: Context): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), KEY_CHECK_BUDGET_MS);
  });
  try {
    const has = await Promise.race([ctx.vault.has(discordUserId), slow]);
    if (has === false) throw new UserError(NO_KEY_MESSAGE, 'No API key');
  } finally {
    clearTimeout(timer);
  }
}

/** The caller's stored key, or a UserError telling how to add one. */
export async function requireKey(discordUserId: string, ctx: Context): Promise<string> {
  const key = await ctx.vault.get(discordUserId);
  if (!key) throw new UserError(NO_KEY_MESSAGE, 'No API key');
  return key;
}

/**
 * The AtomicHost API as the caller's own key sees it — never anyone
 * else's: the key is looked up by the id of the Discord user who sent the
 * interaction. Every call deletes the stored key when AtomicHost says it
 * was revoked (see handleRevocation). Handlers defer before calling it, so a
 * slow key store can't make Discord's 3 s pass.
 */
export async function userApi(user: { id: string }, ctx: Context): Promise<AtomicHostApi> {
  const api = ctx.atomichost.forKey(await requireKey(user.id, ctx));
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise
          ? result.catch((error: unknown) => handleRevocation(error, user.id, ctx))
          : result;
      };
    },
  });
}
