import { LINE_TOO_LONG } from '../atomichost/console-stream.js';
import { AtomicHostError, describeAtomicHostError, sanitizeUpstreamMessage } from '../atomichost/errors.js';
import { newErrorId } from '../bot/error-funnel.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { plain } from '../user/format.js';
import type { Ending } from './view-embed.js';

/** A duration in whole minutes, or seconds below one minute. */
export const minutes = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  return m >= 1 ? `${m} min` : `${Math.max(1, Math.round(ms / 1000))} s`;
};

/** What a failure means for the person watching (never a stack trace). */
export function explain(error: unknown, logger: Logger): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof AtomicHostError) return describeAtomicHostError(error);
  const errorId = newErrorId();
  logger.error({ err: error, errorId }, 'Console failure');
  return `Something went wrong on our side (error id \`${errorId}\`).`;
}

/**
 * Why AtomicHost closed a stream, in words. For a closed key `checkKey`
 * asks AtomicHost whether the key is dead (a dead key is deleted, and its
 * error says so).
 */
export async function describeClose(
  reason: string,
  checkKey: () => Promise<void>,
  logger: Logger,
): Promise<Ending> {
  const said = plain(sanitizeUpstreamMessage(reason), 100);
  switch (reason) {
    case 'max_duration':
      return { text: 'AtomicHost closed the stream at its maximum duration.', reconnect: true };
    case 'access_revoked':
      return {
        text: 'You no longer have console access to this server, so AtomicHost closed the stream.',
        reconnect: true,
      };
    case 'connection_lost':
      return { text: 'The connection to AtomicHost was lost.', reconnect: true };
    case LINE_TOO_LONG:
      return {
        text: 'The console sent a line too long to show (over 1 MiB), so Hostlink closed the stream.',
        reconnect: true,
      };
    case 'key_revoked':
    case 'invalid_key':
    case 'account_banned': {
      try {
        await checkKey();
      } catch (error) {
        return { text: explain(error, logger), reconnect: true };
      }
      return { text: `AtomicHost closed the stream (${said}).`, reconnect: true };
    }
    default:
      return { text: `AtomicHost closed the stream (${said || 'no reason given'}).`, reconnect: true };
  }
}
