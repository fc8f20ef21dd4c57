import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import type { Readiness } from '../bot/readiness.js';
import type { RelationalStore } from '../store/database.js';
import type { Rewards } from '../rewards/rewards.js';
import type { Metrics } from './metrics.js';

export interface HttpServerDeps {
  config: Pick<
    Config,
    'HTTP_PORT' | 'HTTP_HOST' | 'REWARDS_API_TOKENS' | 'TOPGG_WEBHOOK_SECRET' | 'DBL_WEBHOOK_SECRET'
  >;
  logger: Logger;
  readiness: Readiness;
  store: RelationalStore;
  /** What /metrics serves: this process's metrics, or the shard manager's aggregate of its shards. */
  metrics: Pick<Metrics, 'render'>;
  rewards: Rewards;
  /** Whether a Discord user id has a dashboard account (the grant API refuses others). */
  accountExists(userId: string): Promise<boolean | 'unavailable'>;
  /** Whether Redis answers; undefined (or absent) when REDIS_URL is not set. */
  redisAnswers?(): Promise<boolean | undefined>;
  now?: () => number;
}

/** A JSON error body, the same shape everywhere. */
export function jsonError(error: string, message: string): { error: string; message: string } {
  return { error, message };
}
