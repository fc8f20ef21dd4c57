import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore } from '../../src/store/database.js';
import {
  BackgroundCheckpoints,
  CHECKPOINT_CHECK_MS,
  CHECKPOINT_IDLE_MS,
  type CheckpointResult,
} from '../../src/store/checkpoints.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { captureLogs } from '../helpers/log-capture.js';

/** SQLite's default page size plus the header the log adds to each frame. */
const FRAME_BYTES = 4096 + 24;
const COMMITS = 1_200;

function newFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'hostlink-wal-')), 'store.sqlite');
}

/** A WAL-mode writer on `file` with a table to write to. */
function writer(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('create table if not exists t (x integer)');
  return db;
}

/** A wal-index (-shm) header saying `frames` frames are in the log and none copied yet. */
function walIndexHeader(frames: number): Buffer {
  const header = Buffer.alloc(136);
  if (endianness() === 'LE') header.writeUInt32LE(frames, 16);
  else header.writeUInt32BE(frames, 16);
  return header;
}

function commit(db: Database.Database, count: number): void {
  const insert = db.prepare('insert into t (x) values (?)');
  for (let i = 0; i < count; i++) insert.run(i);
}

describe('SQLite checkpoints on a thread of their own', () => {
  test('the store writer never checkpoints itself: its log grows past 1,000 pages', async () => {
    const file = newFile();
    const store = await openStore(`sqlite://${file}`);
    try {
      await sql`create table t (x integer)`.execute(store.db);
      for (let i = 0; i < COMMITS; i++) await sql`insert into t (x) values (${i})`.execute(store.db);
      // Each commit appends a frame at least; a checkpoint by the writer would have restarted the log.
      assert.ok(statSync(`${file}-wal`).size >= COMMITS * FRAME_BYTES, 'the writer did not checkpoint');
    } finally {
      await store.close();
    }
  });

  test('once 1,000 frames wait, the thread copies the whole log (not every second after); it ends after a minute idle', async () => {
    const file = newFile();
    const db = writer(file);
    const clock = new ManualClock();
    const results: CheckpointResult[] = [];
    let wake: (() => void) | undefined;
    const checkpoints = new BackgroundCheckpoints(file, db, {
      clock,
      onCheckpoint: (result) => {
        results.push(result);
        wake?.();
      },
    });
    try {
      commit(db, 10);
      await clock.advance(CHECKPOINT_CHECK_MS);
      assert.equal(checkpoints.threadRunning, false, 'a short log waits');
      commit(db, COMMITS);
      const done = new Promise<void>((resolve) => (wake = resolve));
      await clock.advance(CHECKPOINT_CHECK_MS);
      await done;
      assert.equal(results.length, 1);
      assert.ok(results[0]!.logFrames >= COMMITS, `${results[0]!.logFrames} frames in the log`);
      assert.equal(results[0]!.checkpointedFrames, results[0]!.logFrames, 'all of it copied');
      assert.equal(checkpoints.threadRunning, true);
      // Copied: the writer's next commit starts the log over instead of growing it.
      const before = statSync(`${file}-wal`).size;
      commit(db, 10);
      assert.equal(statSync(`${file}-wal`).size, before, 'the log is reused from its start');
      // The log keeps its size, but 10 waiting frames are not 1,000: no checkpoint every second.
      await clock.advance(CHECKPOINT_CHECK_MS);
      await clock.advance(CHECKPOINT_CHECK_MS);
      assert.equal(results.length, 1, 'a few new frames wait for more');
      // Another 1,000 frames are copied at the next look; then nothing is written for a minute.
      commit(db, COMMITS);
      const again = new Promise<void>((resolve) => (wake = resolve));
      await clock.advance(CHECKPOINT_CHECK_MS);
      await again;
      assert.equal(results.length, 2);
      assert.ok(results[1]!.logFrames >= COMMITS + 10, `${results[1]!.logFrames} frames`);
      assert.equal(results[1]!.checkpointedFrames, results[1]!.logFrames, 'all of it copied');
      await clock.advance(CHECKPOINT_IDLE_MS + CHECKPOINT_CHECK_MS);
      assert.equal(results.length, 2, 'an unchanged log is not checkpointed again');
      assert.equal(checkpoints.threadRunning, false, 'the idle thread ended');
    } finally {
      await checkpoints.close();
      db.close();
    }
  });

  test('a thread that cannot checkpoint hands the job back to the writer, with one warning', async () => {
    const db = writer(newFile());
    // What the thread is given to open is a folder, beside a long log: its connection fails.
    const unopenable = join(mkdtempSync(join(tmpdir(), 'hostlink-wal-')), 'store.sqlite');
    mkdirSync(unopenable);
    writeFileSync(`${unopenable}-wal`, Buffer.alloc(COMMITS * FRAME_BYTES));
    writeFileSync(`${unopenable}-shm`, walIndexHeader(COMMITS));
    const clock = new ManualClock();
    const logs = captureLogs();
    const checkpoints = new BackgroundCheckpoints(unopenable, db, {
      clock,
      logger: createLogger({ level: 'info', destination: logs.stream }),
    });
    try {
      const warned = new Promise<void>((resolve) => {
        const poll = (): void => {
          if (logs.text().includes('Background SQLite checkpoints failed')) resolve();
          else setImmediate(poll);
        };
        poll();
      });
      await clock.advance(CHECKPOINT_CHECK_MS);
      await warned;
      // The writer checkpoints again: 2,500 more commits restart the log instead of growing it past them.
      commit(db, 2_500);
      assert.ok(statSync(`${db.name}-wal`).size < 2_500 * FRAME_BYTES, 'the writer checkpointed');
      await clock.advance(CHECKPOINT_CHECK_MS * 5);
      assert.equal(clock.pending, 0, 'no more looks at the log');
      assert.equal(logs.lines().filter((line) => line.level === 40).length, 1);
    } finally {
      await checkpoints.close();
      db.close();
    }
  });
});
