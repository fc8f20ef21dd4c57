import { LINE_TOO_LONG } from '../atomichost/console-stream.js';
import { sanitizeUpstreamMessage } from '../atomichost/errors.js';
import { newErrorId } from '../bot/error-funnel.js';
import type { Logger } from '../logger.js';
import { presentError } from '../presenter/errors.js';
import { formatDuration, plain } from '../text.js';
import type { Ending } from './view-embed.js';

/** A configured span (lifetime, idle time) in words, through the one duration formatter. */
export const minutes = (ms: number): string => formatDuration(ms, 'up');

/** What a failure means for the person watching (never a stack trace). */
export function explain(error: unknown, logger: Logger): string {
  const presented = presentError(error);
  if (presented) return presented.text;
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
