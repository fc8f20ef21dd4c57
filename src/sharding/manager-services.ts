import { REST, Routes, type APIEmbed } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Readiness } from '../bot/readiness.js';
import { createHeliactylClient } from '../heliactyl/from-config.js';
import type { RelationalStore } from '../store/database.js';
import { Rewards } from '../rewards/rewards.js';
import type { AuditEmbedPort } from '../rewards/audit-batch.js';
import { restVoteThanks } from '../rewards/discord-thanks.js';
import { dashboardAccountExists } from '../rewards/accounts.js';
import type { Metrics } from '../server/metrics.js';
import { startHttpServer, type RunningHttpServer } from '../server/http-server.js';
import { startCoordination } from '../coordination/index.js';

export interface ManagerServices {
  /** Stops taking webhooks and API grants (the HTTP server closes). */
  closeHttp(): Promise<void>;
  /** Finishes the grant being sent, posts the pending audit batch, closes the dashboard client and Redis. */
  stopWorker(): Promise<void>;
}

/** Batched grant audits posted with plain REST (the manager has no gateway client); best effort, like the bot's. */
function restAuditPort(rest: REST, channelId: string | undefined, logger: Logger): AuditEmbedPort {
  return {
    async postEmbed(embed: APIEmbed) {
      if (!channelId) return;
      try {
        await rest.post(Routes.channelMessages(channelId), {
          body: { embeds: [embed], allowed_mentions: { parse: [] } },
        });
      } catch (error) {
        logger.warn({ err: error, channelId, auditChannel: true }, 'Could not post to the audit channel');
      }
    },
  };
}

/**
 * What the shard manager runs itself: the HTTP server (health, readiness of
 * every shard it runs, metrics of all of them, vote webhooks, grant API) and
 * the grant worker. Shards write grants to the shared ledger and never run a
 * worker, so one machine drains the ledger in one place; across machines the
 * ledger's conditional claim keeps each grant sent once.
 */
export async function startManagerServices(deps: {
  config: Config;
  logger: Logger;
  store: RelationalStore;
  readiness: Readiness;
  /** The manager's own registry (grant metrics land here). */
  metrics: Metrics;
  /** What /metrics serves: the manager's registry and every shard's. */
  scrape: Pick<Metrics, 'render'>;
}): Promise<ManagerServices> {
  const { config, logger, store } = deps;
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN ?? '');
  // With REDIS_URL the manager's worker shares the dashboard budget with the shards and takes the one drain lease.
  const coordination = await startCoordination(config, logger.child({ module: 'coordination' }));
  const heliactyl = createHeliactylClient(config, {
    latency: deps.metrics.upstream,
    pacer: coordination.pacer,
  });
  if (!heliactyl)
    logger.warn('HELIACTYL_URL is not set: grants are recorded and wait until the dashboard is configured');
  const rewards = new Rewards({
    store,
    heliactyl,
    logger,
    audit: restAuditPort(rest, config.AUDIT_CHANNEL_ID, logger.child({ module: 'audit' })),
    thanks: restVoteThanks(rest),
    metrics: deps.metrics,
    httpTimeoutMs: config.HTTP_TIMEOUT_MS,
    drainLease: coordination.drainLease,
  });
  rewards.start();
  let http: RunningHttpServer | undefined;
  if (config.HTTP_PORT !== undefined) {
    http = await startHttpServer({
      config,
      logger,
      readiness: deps.readiness,
      store,
      metrics: deps.scrape,
      rewards,
      accountExists: (userId) => dashboardAccountExists(heliactyl, userId),
      redisAnswers: () => coordination.ping(),
    });
  }
  return {
    async closeHttp() {
      await http
        ?.close()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not close the HTTP server'));
    },
    async stopWorker() {
      await rewards
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not stop the grant worker'));
      await heliactyl?.close().catch(() => undefined);
      await coordination
        .close()
        .catch((error: unknown) => logger.error({ err: error }, 'Could not close the Redis connection'));
    },
  };
}
