import { randomBytes } from 'node:crypto';
import { MessageFlags, type Interaction } from 'discord.js';
import type { Logger } from '../logger.js';
import { isHarmlessDiscordError, presentError, unexpectedText } from '../presenter/errors.js';
import { NO_MENTIONS, errorEmbed, fitMessage, respond, type RepliableInteraction } from './respond.js';

export { isHarmlessDiscordError };

export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * The one place that turns an error into a reply. Known errors are shown as
 * they are; anything else is logged with an id and answered generically
 * with that id so an operator can find the log line.
 */
export async function replyWithError(
  interaction: Interaction,
  error: unknown,
  logger: Logger,
): Promise<void> {
  if (isHarmlessDiscordError(error)) {
    logger.warn({ err: error }, 'Discord rejected a late or duplicate answer');
    return;
  }
  const presented = presentError(error);
  let embed;
  if (presented) {
    logger[presented.level]({ err: error }, `Interaction failed: ${presented.title}`);
    embed = errorEmbed(presented.text, presented.title);
  } else {
    const errorId = newErrorId();
    logger.error({ err: error, errorId }, 'Unhandled error in interaction');
    embed = errorEmbed(unexpectedText(errorId), 'Unexpected error');
  }
  if (!interaction.isRepliable()) return;
  if (interaction.isAutocomplete()) return;
  try {
    const repliable = interaction as RepliableInteraction;
    // A command deferred publicly (public:true) still reports its error privately:
    // the "thinking…" placeholder goes away and only the invoker sees why.
    if (repliable.deferred && !repliable.replied && repliable.ephemeral === false && !repliable.isButton()) {
      await repliable.deleteReply().catch(() => undefined);
      await repliable.followUp({
        ...fitMessage({ embeds: [embed] }),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    await respond(repliable, { embeds: [embed], components: [], ephemeral: true });
  } catch (replyError) {
    if (isHarmlessDiscordError(replyError))
      logger.warn({ err: replyError }, 'Could not deliver the error reply');
    else logger.error({ err: replyError }, 'Failed to send the error reply');
  }
}
