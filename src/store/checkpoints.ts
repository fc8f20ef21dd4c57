import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { realClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';

/** How often the write-ahead log is looked at (the frames it holds that are not yet copied). */
export const CHECKPOINT_CHECK_MS = 1_000;
/** SQLite's own default: once this many pages wait in the log, they are copied into the database file. */
export const CHECKPOINT_PAGES = 1_000;
/** The checkpoint thread exits after this long without work (its memory goes with it). */
export const CHECKPOINT_IDLE_MS = 60_000;

/** The log file is cut back to this when it starts over. */
const JOURNAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

/** What one checkpoint did: frames in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  busy: boolean;
  logFrames: number;
  checkpointedFrames: number;
}

export interface BackgroundCheckpointsOptions {
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
  /** Called after each checkpoint the thread ran. */
  onCheckpoint?: (result: CheckpointResult) => void;
}

/**
 * The thread: its own better-sqlite3 connection (the same copy of SQLite as
 * the writer's, so their locks see each other), one PASSIVE checkpoint per
 * message. CommonJS source, so it runs the same from the sources and from
 * the bundle.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
parentPort.on('message', () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, busy: row.busy === 1, logFrames: row.log, checkpointedFrames: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
  }
});
`;

/**
 * Copies the SQLite write-ahead log into the database file on a thread of
 * its own. A checkpoint fsyncs the log and the file (about 6 ms on the CI
 * machine); run by the writing connection, which is synchronous, every
 * 1,000 pages, it stalled every interaction in flight, 13 times in one
 * /claim rush. The writer sets `wal_autocheckpoint = 0`; each second the
 * frames waiting in the log are counted, and from 1,000 on the thread
 * (started then, ended after a minute without work) runs a PASSIVE
 * checkpoint, which never takes a lock readers or the writer wait for. If
 * the thread fails, the writer checkpoints for itself again.
 */
export class BackgroundCheckpoints {
  readonly #file: string;
  readonly #writer: Database;
  readonly #clock: Clock;
  readonly #options: BackgroundCheckpointsOptions;
  #timer: unknown;
  #worker: Worker | undefined;
  #waiting: { resolve: (result: CheckpointResult) => void; reject: (error: Error) => void } | undefined;
  #lastWorkAt = 0;
  #stopped = false;
  /** The start of the wal-index header, read each second. */
  readonly #header = Buffer.alloc(100);

  constructor(file: string, writer: Database, options: BackgroundCheckpointsOptions = {}) {
    this.#file = file;
    this.#writer = writer;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    writer.pragma('wal_autocheckpoint = 0');
    // After a rush the log starts over at this size rather than keeping all it grew to.
    writer.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    this.#arm();
  }

  /** Whether the checkpoint thread is running. */
  get threadRunning(): boolean {
    return this.#worker !== undefined;
  }

  /** Stops looking, ends the thread; the writer checkpoints for itself from now on. */
  async close(): Promise<void> {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#timer);
    await this.#endThread();
  }

  #arm(): void {
    if (this.#stopped) return;
    const handle = this.#clock.setTimeout(() => void this.#check(), CHECKPOINT_CHECK_MS);
    (handle as { unref?: () => void } | undefined)?.unref?.();
    this.#timer = handle;
  }

  async #check(): Promise<void> {
    if (this.#stopped) return;
    if (this.#framesToCopy() >= CHECKPOINT_PAGES) {
      this.#lastWorkAt = this.#clock.now();
      try {
        const result = await this.#checkpoint();
        this.#options.onCheckpoint?.(result);
      } catch (error) {
        // close() ends the thread under a checkpoint: that is shutdown, not a failure.
        if (!this.#stopped) this.#giveUp(error);
        return;
      }
    } else if (this.#worker && this.#clock.now() - this.#lastWorkAt >= CHECKPOINT_IDLE_MS) {
      await this.#endThread();
    }
    this.#arm();
  }

  #checkpoint(): Promise<CheckpointResult> {
    const worker = (this.#worker ??= this.#startThread());
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      worker.postMessage('checkpoint');
    });
  }

  #startThread(): Worker {
    const require = createRequire(import.meta.url);
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.#file },
    });
    worker.unref();
    const succeed = (result: CheckpointResult): void => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.resolve(result);
    };
    const fail = (error: unknown): void => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      // An error thrown in a thread arrives as a copy, not always an Error.
      waiting?.reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
    };
    worker.on('message', (message: ({ ok: true } & CheckpointResult) | { ok: false; message: string }) => {
      if (!message.ok) fail(new Error(message.message));
      else
        succeed({
          busy: message.busy,
          logFrames: message.logFrames,
          checkpointedFrames: message.checkpointedFrames,
        });
    });
    // A thread that fails or ends on its own is dropped; a checkpoint waiting for it fails.
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#worker = undefined;
      fail(new Error(`the checkpoint thread exited (${code})`));
    });
    return worker;
  }

  async #endThread(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }

  #giveUp(error: unknown): void {
    this.#stopped = true;
    void this.#endThread().catch(() => undefined);
    this.#writer.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    this.#options.logger?.warn(
      { err: error },
      'Background SQLite checkpoints failed: the writer checkpoints for itself again',
    );
  }

  /**
   * Frames in the log not yet copied into the database, from the wal-index
   * header in the -shm file (sqlite.org/walformat.html: mxFrame at byte 16,
   * the checkpoint's nBackfill at byte 96, in the machine's byte order). The
   * log file keeps its size when it starts over, so its size says nothing
   * once it has grown: this counts what a checkpoint would copy.
   */
  #framesToCopy(): number {
    const header = this.#header;
    let fd: number | undefined;
    try {
      fd = openSync(`${this.#file}-shm`, 'r');
      if (readSync(fd, header, 0, header.length, 0) < header.length) return 0;
    } catch {
      return 0;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    const read = (offset: number): number =>
      LITTLE_ENDIAN ? header.readUInt32LE(offset) : header.readUInt32BE(offset);
    return Math.max(0, read(16) - read(96));
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';
