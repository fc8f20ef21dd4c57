import type { Context } from '../context.js';
import type { AtomicHostApi } from '../atomichost/client.js';
import { defer } from '../bot/respond.js';
import { userApi } from './api.js';

/**
 * The shared start of a user-side action that calls AtomicHost: acknowledge
 * privately first (the call may outlast Discord's 3 s), then the caller's own
 * key. Answers go out with `withCredits` (src/user/footer.ts) so every reply
 * shows the credits left.
 */
export async function beginUserAction(
  interaction: Parameters<typeof defer>[0],
  ctx: Context,
): Promise<AtomicHostApi> {
  await defer(interaction, { ephemeral: true });
  return userApi(interaction.user, ctx);
}
