import type { Context } from '../context.js';
import type { HeliactylClient } from '../heliactyl/client.js';
import { UserError } from '../errors.js';

/** The dashboard client, or a clear reply when the operator has not configured it. */
export function requireDashboard(ctx: Context): HeliactylClient {
  if (!ctx.heliactyl) {
    throw new UserError(
      'The Heliactyl dashboard is not configured for this bot. The bot operator must set `HELIACTYL_URL` and `HELIACTYL_API_KEY`.',
      'Dashboard not configured',
    );
  }
  return ctx.heliactyl;
}
