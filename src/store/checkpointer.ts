import sqlite3, { type Database } from 'sqlite3';
import { realClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';

/** How often the write-ahead log is copied into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1_000;

/** Failed checkpoints in a row after which the writer checkpoints for itself again. */
const FAILURES_BEFORE_GIVING_UP = 3;

/** What one checkpoint did: frames in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  /** True when a writer held the checkpoint lock (SQLITE_BUSY): nothing was copied this time. */
  busy: boolean;
  logFrames: number;
  checkpointedFrames: number;
}

export interface WalCheckpointerOptions {
  clock?: Clock;
  intervalMs?: number;
  logger?: Pick<Logger, 'warn'>;
  /** Called when checkpoints fail, so the writer's connection can take them back. */
  onFailure?: () => void;
  /** Called after each timed checkpoint. */
  onCheckpoint?: (result: CheckpointResult) => void;
}

/**
 * Copies the SQLite write-ahead log into the database file off the event
 * loop. A checkpoint fsyncs the log and the file (about 6 ms on the CI
 * machine); run by the writing connection (better-sqlite3, synchronous)
 * every 1,000 pages, that stalled every interaction in flight, 13 times in
 * one /claim rush. This connection is node-sqlite3's, which runs its
 * statements on libuv's thread pool, so the writer sets
 * `wal_autocheckpoint = 0` and never waits for a disk sync. PASSIVE
 * checkpoints never block readers or writers; if they keep failing, the
 * writer is told (`onFailure`) and checkpoints for itself again.
 */
export class WalCheckpointer {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #options: WalCheckpointerOptions;
  #timer: unknown;
  #running: Promise<CheckpointResult> | undefined;
  #closed = false;
  #failures = 0;

  private constructor(database: Database, options: WalCheckpointerOptions) {
    this.#database = database;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#intervalMs = options.intervalMs ?? CHECKPOINT_INTERVAL_MS;
  }

  /** Opens a second connection to `file` (which must exist, in WAL mode) and starts the timer. */
  static async open(file: string, options: WalCheckpointerOptions = {}): Promise<WalCheckpointer> {
    const database = await new Promise<Database>((resolve, reject) => {
      const opened: Database = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) =>
        error ? reject(error) : resolve(opened),
      );
    });
    database.configure('busyTimeout', 5_000);
    const checkpointer = new WalCheckpointer(database, options);
    checkpointer.#arm();
    return checkpointer;
  }

  /** One PASSIVE checkpoint now (or the one under way). */
  checkpoint(): Promise<CheckpointResult> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the timer, waits for a checkpoint under way, and closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
    await new Promise<void>((resolve) => this.#database.close(() => resolve()));
  }

  #run(): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      this.#database.get<{ busy: number; log: number; checkpointed: number }>(
        'PRAGMA wal_checkpoint(PASSIVE)',
        (error, row) => {
          if (error || !row) reject(error ?? new Error('wal_checkpoint answered nothing'));
          else resolve({ busy: row.busy === 1, logFrames: row.log, checkpointedFrames: row.checkpointed });
        },
      );
    });
  }

  #arm(): void {
    if (this.#closed) return;
    const handle = this.#clock.setTimeout(() => void this.#tick(), this.#intervalMs);
    (handle as { unref?: () => void } | undefined)?.unref?.();
    this.#timer = handle;
  }

  async #tick(): Promise<void> {
    if (this.#closed) return;
    try {
      const result = await this.checkpoint();
      this.#failures = 0;
      this.#options.onCheckpoint?.(result);
    } catch (error) {
      this.#failures += 1;
      if (this.#failures === FAILURES_BEFORE_GIVING_UP) {
        this.#options.logger?.warn(
          { err: error },
          'Background SQLite checkpoints keep failing: the writer checkpoints for itself again',
        );
        this.#options.onFailure?.();
      }
    }
    if (this.#failures < FAILURES_BEFORE_GIVING_UP) this.#arm();
  }
}
