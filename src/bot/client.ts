import {
  ApplicationCommandManager,
  ApplicationEmojiManager,
  AutoModerationRuleManager,
  BaseGuildEmojiManager,
  Client,
  Collection,
  DMMessageManager,
  EntitlementManager,
  GatewayIntentBits,
  GuildBanManager,
  GuildEmojiManager,
  GuildForumThreadManager,
  GuildInviteManager,
  GuildMemberManager,
  GuildMessageManager,
  GuildScheduledEventManager,
  GuildStickerManager,
  GuildTextThreadManager,
  LimitedCollection,
  MessageManager,
  Partials,
  PresenceManager,
  REST,
  ReactionManager,
  ReactionUserManager,
  StageInstanceManager,
  ThreadManager,
  ThreadMemberManager,
  UserManager,
  VoiceStateManager,
  type CacheFactory,
  type InternalRequest,
  type LimitedCollectionOptions,
} from 'discord.js';
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
    makeCache: trimmedCaches,
  });
  exemptInteractionWebhooksFromGlobalLimit(client, config);
  return client;
}

const isSelf = (entry: { id: string; client: Client }): boolean => entry.id === entry.client.user?.id;
const NOTHING = { maxSize: 0 };

/**
 * The cache limit of each manager class, found by the class itself.
 * (Options.cacheWithLimits finds it by the class's name, which a bundle may
 * change: esbuild renames UserManager to UserManager2 when another module
 * has a UserManager, and the limit then silently applied to nothing.)
 */
const CACHE_LIMITS = new Map<unknown, LimitedCollectionOptions<string, never>>([
  [ApplicationCommandManager, NOTHING],
  [ApplicationEmojiManager, NOTHING],
  [AutoModerationRuleManager, NOTHING],
  [BaseGuildEmojiManager, NOTHING],
  [DMMessageManager, NOTHING],
  [EntitlementManager, NOTHING],
  [GuildBanManager, NOTHING],
  [GuildEmojiManager, NOTHING],
  [GuildForumThreadManager, NOTHING],
  [GuildInviteManager, NOTHING],
  [GuildMemberManager, { maxSize: 0, keepOverLimit: isSelf }],
  [GuildMessageManager, NOTHING],
  [GuildScheduledEventManager, NOTHING],
  [GuildStickerManager, NOTHING],
  [GuildTextThreadManager, NOTHING],
  [MessageManager, NOTHING],
  [PresenceManager, NOTHING],
  [ReactionManager, NOTHING],
  [ReactionUserManager, NOTHING],
  [StageInstanceManager, NOTHING],
  [ThreadManager, NOTHING],
  [ThreadMemberManager, NOTHING],
  [UserManager, { maxSize: 0, keepOverLimit: isSelf }],
  [VoiceStateManager, NOTHING],
]);

/**
 * discord.js's cache factory: a LimitedCollection where CACHE_LIMITS has the
 * manager (or, like cacheWithLimits, the class whose cache it borrows), else a plain one.
 */
const trimmedCaches: CacheFactory = (managerType, _holds, manager) => {
  const limit = CACHE_LIMITS.get(manager) ?? CACHE_LIMITS.get(managerType);
  return (limit ? new LimitedCollection(limit) : new Collection()) as never;
};

/** Requests made with an interaction token rather than the bot token. */
function isInteractionWebhook(request: InternalRequest): boolean {
  return (
    request.auth === false &&
    (request.fullRoute.startsWith('/webhooks/') || request.fullRoute.startsWith('/interactions/'))
  );
}

/**
 * How often the interaction REST manager drops its idle per-route handlers.
 * Every interaction token is a route of its own, so each reply edit leaves a
 * handler behind (about 2 KB with its queue); @discordjs/rest sweeps idle
 * ones hourly, which let a bot answering 10 interactions a second hold some
 * 36,000 of them (measured: 3,000 after `npm run bench -- footprint`). A
 * handler that is rate limited or has requests waiting is never idle, so
 * nothing learnt from Discord's headers is dropped while it matters.
 */
const INTERACTION_HANDLER_SWEEP_MS = 30_000;

/** The REST manager for interaction callbacks and interaction-token webhooks (see below). */
export function createInteractionRest(config: Pick<Config, 'DISCORD_API_URL'>): REST {
  return new REST({
    api: config.DISCORD_API_URL,
    globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
    handlerSweepInterval: INTERACTION_HANDLER_SWEEP_MS,
  });
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
  const interactionRest = createInteractionRest(config);
  const botRest = client.rest;
  const queueWithGlobalLimit = botRest.queueRequest.bind(botRest);
  interactionRest.on('rateLimited', (info) => botRest.emit('rateLimited', info));
  // Console schedulers read each edit's X-RateLimit-* headers (src/console/manager.ts).
  interactionRest.on('response', (request, response) => botRest.emit('response', request, response));
  botRest.queueRequest = (request) =>
    isInteractionWebhook(request) ? interactionRest.queueRequest(request) : queueWithGlobalLimit(request);
}
