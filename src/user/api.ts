import type { AtomicHostApi } from '../atomichost/client.js';
import { AtomicHostError, isKeyRevoked } from '../atomichost/errors.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';

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

/** The reply for a key AtomicHost says is dead for good. */
export function revokedMessage(error: AtomicHostError): string {
  if (error.code === 'account_banned') {
    return (
      'Your AtomicHost account is banned or suspended, and AtomicHost revoked its API key — so Hostlink ' +
      "deleted the copy it stored for you. Lifting a ban doesn't bring the old key back: once your account " +
      'is in good standing, generate a new key and run `/apikey set`.'
    );
  }
  return (
    'AtomicHost no longer accepts your API key: it was regenerated or revoked (a key stops working the ' +
    'moment a new one is generated), so Hostlink deleted the copy it stored for you. Generate a new key ' +
    'under **Account Settings → API Access** and run `/apikey set`.'
  );
}

/**
 * 401 missing_token: AtomicHost saw no key at all. The bot always sends
 * one, so this is not the user's key being bad (which the generic sentence
 * would suggest): the key is kept and the user is told it is on our side.
 */
export const MISSING_TOKEN_MESSAGE =
  'AtomicHost received the request without your API key (missing_token) — a problem between Hostlink and ' +
  'AtomicHost, not with your key, which is kept. Try again; if it keeps happening, tell the bot operator.';

/**
 * On a revoked key (401 invalid_key, 403 account_banned): deletes the
 * user's stored key and throws a UserError saying why. `missing_token`
 * gets its own sentence. Anything else is rethrown unchanged.
 */
export async function handleRevocation(error: unknown, discordUserId: string, ctx: Context): Promise<never> {
  if (error instanceof AtomicHostError && error.code === 'missing_token') {
    ctx.logger.warn({ err: error }, 'AtomicHost says the request carried no API key');
    throw new UserError(MISSING_TOKEN_MESSAGE, 'AtomicHost error');
  }
  if (error instanceof AtomicHostError && isKeyRevoked(error)) {
    const removed = await ctx.vault.delete(discordUserId).catch(() => false);
    forgetUser(discordUserId, ctx, revokedMessage(error));
    ctx.logger.info({ code: error.code, removed }, 'Deleted a revoked AtomicHost key');
    throw new UserError(revokedMessage(error), 'API key removed');
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
