import { DiscordAPIError, type REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
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

function failure(error: unknown): DiscordOutcome<never> {
  if (error instanceof DiscordAPIError) {
    if (error.code === UNKNOWN_MESSAGE) return { ok: false, reason: 'message-gone', message: error.message };
    if (error.code === UNKNOWN_CHANNEL) return { ok: false, reason: 'channel-gone', message: error.message };
    if (error.code === MISSING_ACCESS || error.code === MISSING_PERMISSIONS || error.code === CANNOT_DM) {
      return { ok: false, reason: 'no-access', message: error.message };
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
