import { DiscordAPIError } from 'discord.js';
import { isHarmlessDiscordError } from '../bot/error-funnel.js';
import { NO_MENTIONS } from '../bot/respond.js';
import type { Logger } from '../logger.js';
import { mentionFree } from './render.js';
import { MAX_EDIT_FAILURES } from './limits.js';
import type { ConsoleView, EditPayload } from './view.js';

/** Sends one console edit; an embed holding a mention is a bug and is never sent (no ping, ever). */
export async function sendConsoleEdit(
  view: ConsoleView,
  payload: EditPayload,
  logger: Logger,
): Promise<void> {
  for (const embed of payload.embeds) {
    if (!mentionFree(embed)) {
      // render.ts neutralises every mention; reaching this is a bug, never a ping.
      logger.error({ viewId: view.id }, 'A console edit held a mention; it was not sent');
      throw new Error('console edit held a mention');
    }
  }
  await view.interaction.editReply({ ...payload, allowedMentions: NO_MENTIONS });
}

/**
 * What a failed edit means: `gone` (the message or its token is no longer
 * editable) or too many failures in a row end the message; anything else
 * is retried with the latest state.
 */
export function editFailure(error: unknown, failures: number): { stop: boolean; gone: boolean } {
  const gone =
    isHarmlessDiscordError(error) ||
    (error instanceof DiscordAPIError && (error.status === 401 || error.status === 404));
  return { stop: gone || failures >= MAX_EDIT_FAILURES, gone };
}
