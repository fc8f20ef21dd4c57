import { Client, GatewayIntentBits, Options, Partials, REST, type InternalRequest } from 'discord.js';
import type { Config } from '../config.js';
import { NO_MENTIONS } from './respond.js';

/**
 * The discord.js client: Guilds intent only (slash commands need nothing
 * more), and caches trimmed to what interactions use. Guilds, channels and
 * roles stay cached (roles decide access); members, users, messages and the
 * rest are not kept.
 */
export function createDiscordClient(config: Config): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: { api: config.DISCORD_API_URL },
    makeCache: Options.cacheWithLimits({
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      AutoModerationRuleManager: 0,
      BaseGuildEmojiManager: 0,
      DMMessageManager: 0,
      EntitlementManager: 0,
      GuildBanManager: 0,
      GuildEmojiManager: 0,
      GuildForumThreadManager: 0,
      GuildInviteManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      GuildMessageManager: 0,
      GuildScheduledEventManager: 0,
      GuildStickerManager: 0,
      GuildTextThreadManager: 0,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      StageInstanceManager: 0,
      ThreadManager: 0,
      ThreadMemberManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
      VoiceStateManager: 0,
    }),
  });
  exemptInteractionWebhooksFromGlobalLimit(client, config);
  return client;
}

/** Requests made with an interaction token rather than the bot token. */
function isInteractionWebhook(request: InternalRequest): boolean {
  return (
    request.auth === false &&
    (request.fullRoute.startsWith('/webhooks/') || request.fullRoute.startsWith('/interactions/'))
  );
}

/**
 * Discord does not count interaction endpoints (callbacks, and the webhook
 * routes that edit replies and send follow-ups with the interaction token)
 * against the bot's global 50 requests/s. discord.js counts them anyway,
 * which under load queues every reply edit behind that limit and backs up
 * thousands of waiting requests. Those requests go through a second REST
 * manager without the global cap; it still honours each webhook's own
 * bucket, X-RateLimit headers and 429s. Bot-token requests keep the default.
 */
function exemptInteractionWebhooksFromGlobalLimit(client: Client, config: Config): void {
  const interactionRest = new REST({
    api: config.DISCORD_API_URL,
    globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
  });
  const botRest = client.rest;
  const queueWithGlobalLimit = botRest.queueRequest.bind(botRest);
  interactionRest.on('rateLimited', (info) => botRest.emit('rateLimited', info));
  // Console schedulers read each edit's X-RateLimit-* headers (src/console/manager.ts).
  interactionRest.on('response', (request, response) => botRest.emit('response', request, response));
  botRest.queueRequest = (request) =>
    isInteractionWebhook(request) ? interactionRest.queueRequest(request) : queueWithGlobalLimit(request);
}
