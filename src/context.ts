import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { HeliactylClient } from './heliactyl/client.js';
import type { AtomicHostClient } from './atomichost/client.js';
import type { Confirmations } from './bot/confirmation-types.js';
import type { AuditLog } from './moderation/audit.js';
import type { KeyVault } from './vault/vault.js';
import type { ConsoleManager } from './console/manager.js';
import type { UserCaches } from './user/caches.js';
import type { CatalogEntry } from './commands/catalog-entry.js';
import type { Readiness } from './bot/readiness.js';
import type { InteractionState } from './state/store.js';
import type { RelationalStore } from './store/database.js';
import type { Rewards } from './rewards/rewards.js';
import type { RewardCodes } from './rewards/codes.js';
import type { CodeAttempts } from './rewards/code-attempts.js';
import type { Metrics } from './server/metrics.js';
import type { WatchServices } from './watch/services.js';

/**
 * Everything a handler may use, passed explicitly. Built once at start
 * (src/bot/start.ts); tests build their own.
 */
export interface Context {
  config: Config;
  logger: Logger;
  /** Null when HELIACTYL_URL / HELIACTYL_API_KEY are not set. */
  heliactyl: HeliactylClient | null;
  atomichost: AtomicHostClient;
  /** Short-lived interaction state behind `name:key` custom ids (TTL and size bounded, cleared on stop). */
  state: InteractionState;
  /** Pending confirm/cancel questions (bound to their invoker, expiring), kept in `state`. */
  confirmations: Confirmations;
  /** Audit trail of moderator-side writes (log line + AUDIT_CHANNEL_ID embed). */
  audit: AuditLog;
  /** Each Discord user's AtomicHost API key, encrypted at rest. */
  vault: KeyVault;
  /** Live console sessions and their messages (one upstream stream per user and server). */
  consoles: ConsoleManager;
  /** Per-user server and backup lists (autocomplete, name lookups), short-lived. */
  userCaches: UserCaches;
  /** Every command path the bot handles, with description and tier (for /help). */
  catalog: readonly CatalogEntry[];
  /** Whether the gateway connection is up, per shard (for /readyz). */
  readiness: Readiness;
  /** The relational store of STORE_URL (ledger, reward settings). */
  store: RelationalStore;
  /** The rewards ledger and its grant worker: `ctx.rewards.enqueue(...)` is the one way to pay coins. */
  rewards: Rewards;
  /** Reward codes (`/rewards code …`, `/redeem`), stored as keyed hashes. */
  codes: RewardCodes;
  /** Wrong codes per member: `/redeem` refuses guessing after a few. */
  codeAttempts: CodeAttempts;
  /** Prometheus metrics (served on /metrics when HTTP_PORT is set). */
  metrics: Metrics;
  /** Status panels, scheduled power actions and renewal reminders (server watch). */
  watch: WatchServices;
}
