import { Events, type Client } from 'discord.js';
import type { Logger } from '../logger.js';
import type { Readiness } from './readiness.js';

/**
 * Keeps `readiness` in step with the client's gateway connection and logs
 * each loss and each return once (warn): discord.js reconnects on its own,
 * and may try several times in between, which is not worth a line each.
 */
/**
 * discord.js emits no event for INVALID_SESSION (op 9): @discordjs/ws only
 * writes a debug line, `[WS => Shard 0] Invalid session; will attempt to resume: false`.
 */
const INVALID_SESSION = /^\[WS => Shard (\d+)\] Invalid session; will attempt to resume: (true|false)/;

export function trackGateway(client: Client, readiness: Readiness, logger: Logger): void {
  const back = (shardId: number, how: string): void => {
    const change = readiness.connected(shardId);
    if (change.kind === 'back') {
      logger.warn(
        { shardId, downForMs: change.downForMs, discordConnected: readiness.discordConnected },
        `Discord gateway connection ${how} after ${Math.round(change.downForMs / 100) / 10} s`,
      );
    }
  };
  client.on(Events.ShardReady, (shardId) => back(shardId, 'back (new session)'));
  client.on(Events.ShardResume, (shardId) => back(shardId, 'resumed'));
  client.on(Events.ShardReconnecting, (shardId) => {
    if (readiness.disconnected(shardId).kind === 'lost') {
      logger.warn(
        { shardId, discordConnected: readiness.discordConnected },
        'Lost the Discord gateway connection; reconnecting',
      );
    }
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    if (readiness.disconnected(shardId, event.code).kind === 'lost') {
      logger.error(
        { shardId, code: event.code },
        'Discord closed the gateway connection for good; restart the bot after fixing the cause',
      );
    }
  });
  client.on(Events.Debug, (message) => {
    const invalid = INVALID_SESSION.exec(message);
    if (!invalid) return;
    const resumable = invalid[2] === 'true';
    logger.warn(
      { shardId: Number(invalid[1]), resumable },
      resumable
        ? 'Discord invalidated the gateway session; resuming it'
        : 'Discord invalidated the gateway session; starting a new one (events meanwhile are lost)',
    );
  });
}
