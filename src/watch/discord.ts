import { Routes, type REST } from 'discord.js';
import type { DiscordOutcome, DiscordPort, OutMessage } from './ports.js';

/** Discord error codes a watcher acts on. */
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_MESSAGE = 10008;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const CANNOT_DM = 50007;

function body(message: OutMessage) {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    ...(message.embeds ? { embeds: message.embeds } : {}),
    // Exactly the alert role may be pinged, nobody and nothing else.
    allowed_mentions: { parse: [], roles: message.mentionRoles ?? [] },
  };
}

/**
 * A Discord API error by shape: discord.js (CommonJS) and an ESM import of
 * @discordjs/rest load two copies of its DiscordAPIError class, so
 * `instanceof` depends on who built the REST client. Its name is `DiscordAPIError[code]`.
 */
function apiErrorCode(error: unknown): number | undefined {
  if (!(error instanceof Error) || !error.name.startsWith('DiscordAPIError')) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function failure(error: unknown): DiscordOutcome<never> {
  const code = apiErrorCode(error);
  if (code !== undefined) {
    if (code === UNKNOWN_MESSAGE)
      return { ok: false, reason: 'message-gone', message: (error as Error).message };
    if (code === UNKNOWN_CHANNEL)
      return { ok: false, reason: 'channel-gone', message: (error as Error).message };
    if (code === MISSING_ACCESS || code === MISSING_PERMISSIONS || code === CANNOT_DM) {
      return { ok: false, reason: 'no-access', message: (error as Error).message };
    }
  }
  return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
}

/** DiscordPort over the bot's REST client (rate limits are queued by it). */
export class RestDiscordPort implements DiscordPort {
  constructor(private readonly rest: REST) {}

  async post(channelId: string, message: OutMessage): Promise<DiscordOutcome<{ id: string }>> {
    try {
      const sent = (await this.rest.post(Routes.channelMessages(channelId), { body: body(message) })) as {
        id: string;
      };
      return { ok: true, id: sent.id };
    } catch (error) {
      return failure(error);
    }
  }

  async edit(channelId: string, messageId: string, message: OutMessage): Promise<DiscordOutcome> {
    try {
      await this.rest.patch(Routes.channelMessage(channelId, messageId), { body: body(message) });
      return { ok: true };
    } catch (error) {
      return failure(error);
    }
  }

  async delete(channelId: string, messageId: string): Promise<DiscordOutcome> {
    try {
      await this.rest.delete(Routes.channelMessage(channelId, messageId));
      return { ok: true };
    } catch (error) {
      return failure(error);
    }
  }

  async dm(userId: string, message: OutMessage): Promise<DiscordOutcome> {
    try {
      const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string;
      };
      const sent = await this.post(channel.id, message);
      return sent.ok ? { ok: true } : sent;
    } catch (error) {
      return failure(error);
    }
  }
}
