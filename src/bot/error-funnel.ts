import { randomBytes } from 'node:crypto';
import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes, type Interaction } from 'discord.js';
import type { Logger } from '../logger.js';
import { UserError } from '../errors.js';
import { HeliactylError, describeHeliactylError } from '../heliactyl/errors.js';
import { AtomicHostError, describeAtomicHostError } from '../atomichost/errors.js';
import { NO_MENTIONS, errorEmbed, fitMessage, respond, type RepliableInteraction } from './respond.js';

/** Discord answers that mean "too late / already done": worth a log line, never a crash. */
const HARMLESS_DISCORD_CODES = new Set<number>([
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.InvalidWebhookToken,
  RESTJSONErrorCodes.UnknownMessage,
]);

export function isHarmlessDiscordError(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    typeof error.code === 'number' &&
    HARMLESS_DISCORD_CODES.has(error.code)
  );
}

export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}

interface Explained {
  title: string;
  message: string;
  level: 'info' | 'warn' | 'error';
}

/** What the user reads for errors we understand; undefined for bugs. */
function explain(error: unknown): Explained | undefined {
  if (error instanceof UserError)
    return { title: error.title ?? 'Cannot do that', message: error.message, level: 'info' };
  if (error instanceof HeliactylError) {
    // A rejected or disabled key is the operator's problem: log it loudly.
    const level = error.kind === 'unauthorized' || error.kind === 'api_disabled' ? 'error' : 'warn';
    return { title: 'Dashboard error', message: describeHeliactylError(error), level };
  }
  if (error instanceof AtomicHostError) {
    const title = error.mayHaveBeenApplied ? 'Outcome unknown' : 'AtomicHost error';
    return { title, message: describeAtomicHostError(error), level: 'warn' };
  }
  return undefined;
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
  const explained = explain(error);
  let embed;
  if (explained) {
    logger[explained.level]({ err: error }, `Interaction failed: ${explained.title}`);
    embed = errorEmbed(explained.message, explained.title);
  } else {
    const errorId = newErrorId();
    logger.error({ err: error, errorId }, 'Unhandled error in interaction');
    embed = errorEmbed(
      `Something went wrong on our side. If it keeps happening, give the bot operator this error id: \`${errorId}\`.`,
      'Unexpected error',
    );
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
