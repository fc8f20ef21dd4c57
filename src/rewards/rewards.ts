import type { Logger } from '../logger.js';
import type { HeliactylClient } from '../heliactyl/client.js';
import type { RelationalStore } from '../store/database.js';
import type { Metrics } from '../server/metrics.js';
import { Ledger, type Grant, type GrantRequest, type EnqueueResult } from './ledger.js';
import { GrantWorker } from './worker.js';
import { RewardSettings } from './settings.js';
import { GrantAuditBatch, type AuditEmbedPort } from './audit-batch.js';
import { realClock, type Clock } from '../clock.js';
import type { Lease } from '../coordination/index.js';

/** Thanks a voter by DM (best effort: closed DMs are fine). Provided by the bot. */
export interface VoteThanksPort {
  thank(userId: string, coins: number): Promise<void>;
}

export interface RewardsOptions {
  store: RelationalStore;
  /** Null when the dashboard is not configured: grants are recorded and wait. */
  heliactyl: HeliactylClient | null;
  logger: Logger;
  audit: AuditEmbedPort;
  thanks: VoteThanksPort;
  metrics?: Metrics;
  clock?: Clock;
  /** Upstream timeout: a grant in `sending` for 3 of these (plus 5 s) is taken as abandoned. */
  httpTimeoutMs: number;
  /** Which process drains (REDIS_URL: one at a time across processes); default this one. */
  drainLease?: Lease;
  /** Resolves when the worker may take up its next grant (the bot's after-ack lane); default at once. */
  waitTurn?: () => Promise<void>;
}

/**
 * The rewards core that commands, webhooks and the grant API share: the
 * ledger (`enqueue` is the one way to pay), the worker draining it, the
 * reward settings, the batched audit, and the metrics of every settlement.
 */
export class Rewards {
  readonly ledger: Ledger;
  readonly settings: RewardSettings;
  readonly worker: GrantWorker | null;
  readonly thanks: VoteThanksPort;
  readonly #audit: GrantAuditBatch;

  constructor(options: RewardsOptions) {
    const clock = options.clock ?? realClock;
    this.ledger = new Ledger(options.store.db, () => clock.wallNow());
    this.settings = new RewardSettings(options.store.db);
    this.thanks = options.thanks;
    this.#audit = new GrantAuditBatch({
      port: options.audit,
      logger: options.logger,
      clock,
    });
    this.worker = options.heliactyl
      ? new GrantWorker({
          ledger: this.ledger,
          heliactyl: options.heliactyl,
          logger: options.logger.child({ module: 'grants' }),
          clock,
          staleSendingMs: 3 * options.httpTimeoutMs + 5_000,
          ...(options.drainLease ? { lease: options.drainLease } : {}),
          ...(options.waitTurn ? { waitTurn: options.waitTurn } : {}),
        })
      : null;
    const metrics = options.metrics;
    this.worker?.onSettled((grant) => {
      metrics?.grants.inc({ source: grant.source, state: grant.state });
      this.#audit.add(grant);
    });
    if (metrics) {
      this.ledger.onEnqueued((grant) => metrics.grants.inc({ source: grant.source, state: 'queued' }));
      metrics.onScrape(async () => {
        const counts = await this.ledger.countByState();
        for (const state of ['queued', 'sending', 'unknown'] as const)
          metrics.queueDepth.set({ state }, counts[state]);
      });
      const heliactyl = options.heliactyl;
      if (heliactyl)
        metrics.onScrape(async () => metrics.heliactylBudget.set(await heliactyl.budgetRemaining()));
    }
  }

  /** Records a grant once per key (see Ledger.enqueue); the worker pays it. */
  enqueue(request: GrantRequest): Promise<EnqueueResult> {
    return this.ledger.enqueue(request);
  }

  /** Calls `listener` with each grant the worker settles (progress of bulk grants, /claim replies). */
  onSettled(listener: (grant: Grant) => void): () => void {
    return this.worker?.onSettled(listener) ?? (() => undefined);
  }

  start(): void {
    this.worker?.start();
  }

  /** Stops the worker (the grant being sent is finished) and posts the pending audit batch. */
  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.#audit.stop();
  }
}
