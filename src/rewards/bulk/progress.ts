import type { APIEmbed } from 'discord.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { BudgetOutlook } from '../../heliactyl/pacer.js';
import type { Grant } from '../ledger.js';
import type { BatchCounts, BulkBatch } from './batch.js';
import { DEFAULT_MS_PER_GRANT, describeEta, estimateDrainMs } from './eta.js';

/** Least time between two edits of the progress message. */
export const PROGRESS_EDIT_INTERVAL_MS = 2_000;
/** Looks at the ledger this often without news (another process's worker may be paying). */
export const PROGRESS_POLL_MS = 15_000;
/** Discord lets an interaction's reply be edited for 15 minutes: stop a little before. */
export const PROGRESS_EDITABLE_MS = 14 * 60_000;

/** How the messages look (the bot's embeds; the core only decides when to show which). */
export interface ProgressRender {
  progress(counts: BatchCounts, eta: string | null): APIEmbed;
  /** The last edit Discord allows (15 min after the click): the message stops updating here. */
  stopped(counts: BatchCounts): APIEmbed;
  summary(counts: BatchCounts, problems: readonly Grant[]): APIEmbed;
}

export function settledOf(counts: BatchCounts): number {
  return counts.granted + counts.failed + counts.unknown;
}

export interface ProgressPorts {
  render: ProgressRender;
  clock: Clock;
  logger: Logger;
  read(): Promise<BatchCounts>;
  problems(): Promise<Grant[]>;
  /** The dashboard budget now (null: no dashboard configured). */
  outlook(): BudgetOutlook | Promise<BudgetOutlook> | null;
  /** Calls `listener` for every grant this process settles; returns the unsubscribe. */
  subscribe(listener: (grant: Grant) => void): () => void;
  /** Edits the progress message. */
  show(embed: APIEmbed): Promise<void>;
  /** Every grant of the batch settled: audit it (once). */
  finished(counts: BatchCounts, problems: Grant[]): Promise<void>;
}

export interface ProgressTiming {
  intervalMs?: number;
  pollMs?: number;
  editableMs?: number;
}

/**
 * Follows one bulk grant until every grant is settled: edits the progress
 * message at most once per interval (a grant settling only asks for an
 * edit), with an ETA from the pacer's budget and the batch's own rate, then
 * shows the summary and reports the end. Counts come from the ledger, so
 * grants paid by another process count too. Lives in memory: after a
 * restart the grants still drain, and the message stays at its last edit.
 */
export class BulkProgress {
  readonly #keys: Set<string>;
  readonly #intervalMs: number;
  readonly #pollMs: number;
  readonly #editableMs: number;
  #startedAt = 0;
  #settledAtStart = 0;
  #lastShownAt = Number.NEGATIVE_INFINITY;
  #lastShown = '';
  #editable = true;
  #done = false;
  #timer: { handle: unknown; at: number } | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #unsubscribe: () => void = () => undefined;
  readonly #finished: Promise<void>;
  #resolveFinished: () => void = () => undefined;

  constructor(
    private readonly batch: BulkBatch,
    private readonly ports: ProgressPorts,
    timing: ProgressTiming = {},
  ) {
    this.#keys = new Set(batch.userIds.map((id) => `bulk:${batch.batchId}:${id}`));
    this.#intervalMs = timing.intervalMs ?? PROGRESS_EDIT_INTERVAL_MS;
    this.#pollMs = timing.pollMs ?? PROGRESS_POLL_MS;
    this.#editableMs = timing.editableMs ?? PROGRESS_EDITABLE_MS;
    this.#finished = new Promise((resolve) => (this.#resolveFinished = resolve));
  }

  /** Shows the first progress and follows the batch; `done` resolves after the summary. */
  async start(): Promise<void> {
    this.#startedAt = this.ports.clock.now();
    this.#unsubscribe = this.ports.subscribe((grant) => {
      if (this.#keys.has(grant.key)) this.#poke();
    });
    const counts = await this.ports.read();
    this.#settledAtStart = settledOf(counts);
    await this.#run();
  }

  /** Resolves once the summary is shown and the end reported. */
  get done(): Promise<void> {
    return this.#finished;
  }

  /** A grant of the batch settled: edit soon, but not sooner than the interval allows. */
  #poke(): void {
    if (this.#done) return;
    this.#schedule(Math.max(0, this.#lastShownAt + this.#intervalMs - this.ports.clock.now()));
  }

  #schedule(delayMs: number): void {
    const at = this.ports.clock.now() + delayMs;
    if (this.#timer && this.#timer.at <= at) return;
    if (this.#timer) this.ports.clock.clearTimeout(this.#timer.handle);
    const handle = this.ports.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#run();
    }, delayMs);
    this.#timer = { handle, at };
  }

  /** One refresh at a time; a poke during one runs another after it. */
  async #run(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#refresh();
        } catch (error) {
          this.ports.logger.warn({ err: error, batch: this.batch.batchId }, 'Bulk grant progress failed');
        }
      } while (this.#again && !this.#done);
    })();
    try {
      await this.#running;
    } finally {
      this.#running = undefined;
    }
    if (!this.#done) this.#schedule(this.#pollMs);
  }

  async #refresh(): Promise<void> {
    if (this.#done) return;
    const counts = await this.ports.read();
    if (counts.waiting === 0) return this.#finish(counts);
    const now = this.ports.clock.now();
    if (!this.#editable) return;
    if (now - this.#startedAt >= this.#editableMs) {
      this.#editable = false;
      await this.#show(this.ports.render.stopped(counts), true);
      return;
    }
    const embed = this.ports.render.progress(counts, await this.#eta(counts, now));
    await this.#show(embed);
  }

  async #eta(counts: BatchCounts, now: number): Promise<string | null> {
    const outlook = await this.#outlook();
    if (!outlook) return null;
    const settled = settledOf(counts) - this.#settledAtStart;
    const msPerGrant = settled > 0 ? (now - this.#startedAt) / settled : DEFAULT_MS_PER_GRANT;
    const eta = describeEta(estimateDrainMs(counts.waiting, outlook, msPerGrant));
    return `${eta} (dashboard budget: ${outlook.remaining} of ${outlook.perWindow} requests left in this window)`;
  }

  /** The budget, or no ETA when it cannot be read (Redis down): progress still shows. */
  async #outlook(): Promise<BudgetOutlook | null> {
    try {
      return (await this.ports.outlook()) ?? null;
    } catch {
      return null;
    }
  }

  async #show(embed: APIEmbed, force = false): Promise<void> {
    const text = JSON.stringify(embed);
    if (!force && text === this.#lastShown) return;
    this.#lastShown = text;
    this.#lastShownAt = this.ports.clock.now();
    try {
      await this.ports.show(embed);
    } catch (error) {
      // Most likely the interaction's token ran out: the summary still reaches the audit channel.
      this.#editable = false;
      this.ports.logger.warn({ err: error, batch: this.batch.batchId }, 'Cannot edit the bulk grant message');
    }
  }

  async #finish(counts: BatchCounts): Promise<void> {
    this.#done = true;
    this.#unsubscribe();
    if (this.#timer) this.ports.clock.clearTimeout(this.#timer.handle);
    this.#timer = undefined;
    try {
      const problems = await this.ports.problems();
      if (this.#editable) await this.#show(this.ports.render.summary(counts, problems), true);
      await this.ports.finished(counts, problems);
    } finally {
      this.#resolveFinished();
    }
  }
}
