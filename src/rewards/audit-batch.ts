import type { APIEmbed } from 'discord.js';
import type { Logger } from '../logger.js';
import type { Grant } from './ledger.js';
import { realClock, type Clock } from '../clock.js';
import { sleepOn } from './clock.js';

/** Where batched audit embeds go (the bot's AuditLog, posting to AUDIT_CHANNEL_ID). */
export interface AuditEmbedPort {
  postEmbed(embed: APIEmbed): Promise<void>;
}

const STATE_ICON: Record<string, string> = { granted: '✅', failed: '❌', unknown: '⚠️' };
const MAX_LINES = 20;

/** One embed for a batch of settled automatic grants (pure). */
export function grantBatchEmbed(grants: readonly Grant[], at: Date): APIEmbed {
  const counts = new Map<string, number>();
  for (const grant of grants) counts.set(grant.state, (counts.get(grant.state) ?? 0) + 1);
  const lines = grants.slice(0, MAX_LINES).map((grant) => {
    const repaired = grant.repaired ? ' (repaired with setcoins)' : '';
    return `${STATE_ICON[grant.state] ?? '•'} <@${grant.userId}> +${grant.coins} · ${grant.source}${repaired}`;
  });
  if (grants.length > MAX_LINES) lines.push(`…and ${grants.length - MAX_LINES} more`);
  const summary = [...counts.entries()].map(([state, count]) => `${count} ${state}`).join(', ');
  return {
    title: `Automatic grants: ${summary}`,
    description: lines.join('\n').slice(0, 4000),
    color: grants.some((g) => g.state !== 'granted') ? 0xf0b232 : 0x23a55a,
    timestamp: at.toISOString(),
  };
}

/**
 * Audits automatic grants (daily, role, code, vote, api) in batches: at
 * most one embed per `intervalMs`, so a vote storm does not flood the
 * channel. Moderator-caused grants (bulk) are not: each batch is one
 * moderator action, audited once when it is settled, by the command that
 * queued it or, after a restart, by the process that resumes it.
 */
export class GrantAuditBatch {
  readonly #port: AuditEmbedPort;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #pending: Grant[] = [];
  #lastPostAt = Number.NEGATIVE_INFINITY;
  #scheduled: Promise<void> | undefined;

  constructor(options: { port: AuditEmbedPort; logger: Logger; clock?: Clock; intervalMs?: number }) {
    this.#port = options.port;
    this.#logger = options.logger;
    this.#clock = options.clock ?? realClock;
    this.#intervalMs = options.intervalMs ?? 60_000;
  }

  add(grant: Grant): void {
    // A bulk grant is audited with its batch, as one moderator action (moderation/bulk-follow.ts).
    if (grant.source === 'bulk') return;
    this.#logger.info(
      {
        audit: true,
        grantId: grant.id,
        source: grant.source,
        userId: grant.userId,
        coins: grant.coins,
        state: grant.state,
      },
      `Audit: grant ${grant.state}`,
    );
    this.#pending.push(grant);
    this.#scheduled ??= this.#flushLater();
  }

  /** Posts what is pending now (at shutdown). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#scheduled;
    await this.#flush();
  }

  async #flushLater(): Promise<void> {
    await Promise.resolve(); // lets add() record this run before it can finish
    const wait = this.#lastPostAt + this.#intervalMs - this.#clock.now();
    try {
      if (wait > 0) await sleepOn(this.#clock, wait, this.#abort.signal);
    } catch {
      return; // stopping: stop() flushes
    } finally {
      this.#scheduled = undefined;
    }
    await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#lastPostAt = this.#clock.now();
    await this.#port.postEmbed(grantBatchEmbed(batch, new Date(this.#clock.wallNow())));
  }
}
