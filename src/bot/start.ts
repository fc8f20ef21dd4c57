import { Events, MessageFlags, type Client, type Interaction } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Context } from '../context.js';
import { createHeliactylClient } from '../heliactyl/from-config.js';
import { AtomicHostClient } from '../atomichost/client.js';
import { loadCommands } from '../commands/registry.js';
import type { CommandRegistry } from '../commands/loader.js';
import { commandCatalog } from '../commands/catalog.js';
import { createDiscordClient } from './client.js';
import { createRouter } from './router.js';
import { createRateLimitLogger } from './rate-limit-log.js';
import { ConfirmationStore } from './confirmations.js';
import { InteractionState } from '../state/store.js';
import { realClock } from '../clock.js';
import { AuditLog } from '../moderation/audit.js';
import { UserCaches } from '../user/caches.js';
import { createVault, type KeyVault } from '../vault/vault.js';
import { ConsoleManager } from '../console/manager.js';
import { forgetUser, userApi } from '../user/api.js';
import { KeyRefusedError } from '../user/key-errors.js';
import { presentError } from '../presenter/errors.js';
import { knownServerName } from '../user/options.js';
import { checkStoreBackend } from '../vault/store.js';
import { checkDiscord } from './preflight.js';
import { Readiness } from './readiness.js';
import { trackGateway } from './gateway-log.js';
import { InFlight } from './in-flight.js';
import { NO_MENTIONS } from './respond.js';
import { openStore, type RelationalStore } from '../store/database.js';
import { Rewards } from '../rewards/rewards.js';
import { RewardCodes } from '../rewards/codes.js';
import { CodeHasher } from '../rewards/code-secret.js';
import { CodeAttempts } from '../rewards/code-attempts.js';
import { discordVoteThanks } from '../rewards/discord-thanks.js';
import { dashboardAccountExists } from '../rewards/accounts.js';
import { Metrics } from '../server/metrics.js';
import type { RunningHttpServer } from '../server/http-server.js';
import { trackInteractionMetrics } from '../server/interaction-metrics.js';
import { WatchServices } from '../watch/services.js';
import { importPreviousWatchFile } from '../watch/previous-release.js';
import { singleProcess, startCoordination, type Coordination } from '../coordination/index.js';
import { answerMetricsRequests } from '../sharding/metrics-ipc.js';
import { afterAck, quietForMs } from './after-ack.js';
import { startIdleCollector } from './idle-collector.js';
import { resumeBulkBatches } from '../moderation/bulk-follow.js';

/** Shutdown waits at most this long for the consoles' final "bot restarting" edits. */
const CONSOLE_SHUTDOWN_DEADLINE_MS = 3_000;

/**
 * Shutdown waits at most this long for interactions in flight and their audit
 * posts (the consoles' final edits run meanwhile), so the process still exits
 * within the 10 s a supervisor gives it.
 */
export const DRAIN_DEADLINE_MS = 8_000;

const RESTARTING_MESSAGE = 'Hostlink is restarting — try again in a minute. Nothing was done.';

export interface RunningBot {
  client: Client;
  ctx: Context;
  /** Closes Discord and upstream connections. */
  stop(): Promise<void>;
}

export function buildContext(
  config: Config,
  logger: Logger,
  vault: KeyVault,
  registry: CommandRegistry,
  store: RelationalStore,
  discord: () => Client | null = () => null,
  inFlight = new InFlight(),
  coordination: Coordination = singleProcess,
): Context {
  const metrics = new Metrics();
  // With REDIS_URL the dashboard budget is shared by every process.
  const heliactyl = createHeliactylClient(config, { latency: metrics.upstream, pacer: coordination.pacer });
  const atomichost = new AtomicHostClient({
    baseUrl: config.ATOMICHOST_API_URL,
    timeoutMs: config.HTTP_TIMEOUT_MS,
    latency: metrics.upstream,
  });
  const userCaches = new UserCaches();
  const audit = new AuditLog({
    channelId: config.AUDIT_CHANNEL_ID,
    logger,
    track: (work) => inFlight.track(work),
  });
  const rewards = new Rewards({
    store,
    heliactyl,
    logger,
    audit,
    thanks: discordVoteThanks(discord),
    metrics,
    httpTimeoutMs: config.HTTP_TIMEOUT_MS,
    drainLease: coordination.drainLease,
    // Paying a grant is follow-up work too: in a rush of clicks it waits behind their acks.
    waitTurn: afterAck,
  });
  const state = new InteractionState(realClock);
  const ctx: Context = {
    config,
    logger,
    heliactyl,
    atomichost,
    state,
    confirmations: new ConfirmationStore(state, config.CONFIRMATION_TIMEOUT_MS),
    audit,
    vault,
    consoles: new ConsoleManager(
      {
        intervalMs: config.CONSOLE_EDIT_INTERVAL_MS,
        messageLifetimeMs: config.CONSOLE_MESSAGE_LIFETIME_MS,
        idleMs: config.CONSOLE_IDLE_TIMEOUT_MS,
        retryDelayMs: config.CONSOLE_RETRY_DELAY_MS,
      },
      {
        clock: realClock,
        logger: logger.child({ module: 'console' }),
        openConsole: async (userId, serverId) => (await userApi({ id: userId }, ctx)).openConsole(serverId),
        checkKey: async (userId) => void (await (await userApi({ id: userId }, ctx)).me()),
        serverName: (userId, serverId) => knownServerName(userCaches, userId, serverId),
        ...(coordination.streams ? { streams: coordination.streams } : {}),
      },
    ),
    userCaches,
    catalog: commandCatalog(registry.commands.values(), registry.tiers),
    readiness: new Readiness(),
    store,
    rewards,
    // Codes are hashed under a secret derived from the vault's encryption key(s), never stored in the clear.
    codes: new RewardCodes(store.db, new CodeHasher(vault.derivedSecrets('reward-codes'))),
    codeAttempts: new CodeAttempts({ maxFailures: 5, windowMs: 15 * 60_000, now: () => realClock.wallNow() }),
    metrics,
    watch: new WatchServices({
      clock: realClock,
      logger: logger.child({ module: 'watch' }),
      atomichost,
      keys: vault,
      upstreamTimeoutMs: config.HTTP_TIMEOUT_MS,
      onRevoked: (ownerId, error) => {
        // Worded like a command finding the key revoked (the watch already deleted the stored key).
        const refused = new KeyRefusedError(error.code as KeyRefusedError['code'], true, { cause: error });
        forgetUser(ownerId, ctx, presentError(refused)?.text ?? refused.message);
      },
    }),
  };
  return ctx;
}

export interface StartOptions {
  /**
   * This process is one shard under the shard manager (src/sharding): the
   * manager serves HTTP_PORT and runs the one grant worker, so this process
   * does neither; it hands its metrics to the manager instead.
   */
  underManager?: boolean;
}

/** Logs in and routes interactions until `stop()`. */
export async function startBot(
  config: Config,
  baseLogger: Logger,
  options: StartOptions = {},
): Promise<RunningBot> {
  const registry = loadCommands();
  // Checks that need no disk writes come first: a start that fails here leaves no key file behind.
  await checkStoreBackend(config.STORE_URL);
  await checkDiscord(config);
  const client = createDiscordClient(config);
  // Every line of this process names its shard(s): several processes log side by side when sharded.
  const logger = baseLogger.child(shardBindings(client));
  // The relational store first: it creates the SQLite file in WAL mode, which the vault then shares.
  const store = await openStore(config.STORE_URL, process.cwd(), { logger });
  let vault: KeyVault;
  try {
    vault = await createVault(config, logger);
  } catch (error) {
    await store.close();
    throw error;
  }
  const inFlight = new InFlight();
  // Never fails the start: without Redis the commands that need it answer "temporarily unavailable".
  const coordination = await startCoordination(config, logger);
  const ctx = buildContext(config, logger, vault, registry, store, () => client, inFlight, coordination);
  if (!ctx.heliactyl)
    logger.warn(
      'HELIACTYL_URL is not set: moderator commands will answer that the dashboard is not configured',
    );
  if (config.ADMIN_ROLE_IDS.size === 0 && config.MODERATOR_ROLE_IDS.size === 0) {
    logger.warn('No ADMIN_ROLE_IDS or MODERATOR_ROLE_IDS: every moderator command will be refused');
  }

  ctx.audit.attach(client);
  ctx.metrics.onScrape(() => ctx.metrics.consoleStreams.set(ctx.consoles.openSessions));
  trackInteractionMetrics(client, ctx.metrics);
  ctx.consoles.attachRest(client.rest);
  const route = createRouter(registry, ctx);
  client.on(Events.InteractionCreate, (interaction) => {
    if (inFlight.closed) return void turnAway(interaction, logger);
    void inFlight.track(route(interaction));
  });
  // Panels in a deleted channel or a guild the bot left stop at once (not at their next edit).
  client.on(Events.ChannelDelete, (channel) => {
    void ctx.watch.whenRunning((w) =>
      w.manager.channelsGone('channel-gone', (p) => p.channelId === channel.id),
    );
  });
  client.on(Events.GuildDelete, (guild) => {
    void ctx.watch.whenRunning((w) => w.manager.channelsGone('no-access', (p) => p.guildId === guild.id));
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ discord: message }, 'Discord client warning'));
  client.rest.on('rateLimited', createRateLimitLogger(logger));
  trackGateway(client, ctx.readiness, logger);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.DISCORD_TOKEN);
  await ready;
  // After login: the pollers' first edits need the token.
  await importPreviousWatchFile(store, config.STORE_URL, logger.child({ module: 'watch' }));
  await ctx.watch.start(client.rest, store.db);
  // Bulk grants whose one audit entry had not gone out when the bot stopped: followed again.
  await resumeBulkBatches(ctx).catch((error: unknown) =>
    logger.error({ err: error }, 'Could not resume the bulk grants in the store'),
  );
  logger.info(
    { user: client.user?.tag, commands: [...registry.commands.keys()], guilds: client.guilds.cache.size },
    'Hostlink is ready',
  );
  // Full collections between rushes of interactions rather than inside one (npm start's --expose-gc).
  const stopIdleCollector = startIdleCollector({ quietForMs, logger: logger.child({ module: 'gc' }) });
  if (options.underManager) answerMetricsRequests(ctx.metrics, client.shard?.ids[0] ?? 0);
  else ctx.rewards.start();
  let http: RunningHttpServer | undefined;
  if (config.HTTP_PORT !== undefined && !options.underManager) {
    // Loaded only with HTTP_PORT: a bot without the HTTP server does not carry Fastify.
    const { startHttpServer } = await import('../server/http-server.js');
    http = await startHttpServer({
      config,
      logger,
      readiness: ctx.readiness,
      store,
      metrics: ctx.metrics,
      rewards: ctx.rewards,
      accountExists: (userId) => dashboardAccountExists(ctx.heliactyl, userId),
      redisAnswers: () => coordination.ping(),
    });
  }

  return {
    client,
    ctx,
    async stop() {
      inFlight.close();
      stopIdleCollector?.();
      // No new webhooks or API grants; the grant being sent is finished, the audit batch posted.
      await http
        ?.close()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not close the HTTP server'));
      await ctx.rewards
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not stop the grant worker'));
      // Before the connection to Discord closes: every open console gets a final edit, and
      // interactions in flight finish — a write that was applied still gets its reply and audit post.
      const [left] = await Promise.all([
        inFlight.drain(DRAIN_DEADLINE_MS),
        ctx.consoles
          .stopAll('Bot restarting — reconnect when it is back.', CONSOLE_SHUTDOWN_DEADLINE_MS)
          .catch((error: unknown) => logger.error({ err: error }, 'Could not close the consoles cleanly')),
      ]);
      if (left > 0) logger.warn({ inFlight: left }, 'Stopped with interactions still in flight');
      ctx.state.clear();
      await ctx.watch
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not stop the watchers cleanly'));
      await client.destroy();
      await Promise.allSettled([ctx.heliactyl?.close(), ctx.atomichost.close(), ctx.vault.close()]);
      await store
        .close()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not close the store'));
      await coordination
        .close()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not close Redis'));
      logger.info({ leftInFlight: left }, 'Hostlink stopped: store closed');
    },
  };
}

/** `{ shard: 0 }` for a process running one shard, `{ shards: [0, 1] }` for several. */
export function shardBindings(client: Client): { shard: number } | { shards: number[] } {
  const configured = client.options.shards;
  const ids = Array.isArray(configured) ? configured : [0];
  return ids.length === 1 ? { shard: ids[0]! } : { shards: ids };
}

/** An interaction that arrives while the bot stops: a short private answer, no work started. */
async function turnAway(interaction: Interaction, logger: Logger): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await interaction.respond([]);
    else if (interaction.isRepliable())
      await interaction.reply({
        content: RESTARTING_MESSAGE,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
  } catch (error) {
    logger.warn({ err: error }, 'Could not turn away an interaction during shutdown');
  }
}
