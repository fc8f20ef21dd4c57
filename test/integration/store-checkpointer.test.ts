import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore } from '../../src/store/database.js';
import {
  CHECKPOINT_INTERVAL_MS,
  WalCheckpointer,
  type CheckpointResult,
} from '../../src/store/checkpointer.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { captureLogs } from '../helpers/log-capture.js';
import { createLogger } from '../../src/logger.js';

/** SQLite's default page size, and the frame header the log adds to each page. */
const FRAME_BYTES = 4096 + 24;
const COMMITS = 1_200;

/** A WAL-mode file whose writer never checkpoints, holding COMMITS commits in its log. */
function writtenFile(): { file: string; writer: Database.Database } {
  const file = join(mkdtempSync(join(tmpdir(), 'hostlink-wal-')), 'store.sqlite');
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec('create table t (x integer)');
  const insert = writer.prepare('insert into t (x) values (?)');
  for (let i = 0; i < COMMITS; i++) insert.run(i);
  return { file, writer };
}

/** Resolves with the next timed checkpoint's result. */
function nextCheckpoint(): { seen: Promise<CheckpointResult>; onCheckpoint: (r: CheckpointResult) => void } {
  let onCheckpoint!: (r: CheckpointResult) => void;
  const seen = new Promise<CheckpointResult>((resolve) => (onCheckpoint = resolve));
  return { seen, onCheckpoint };
}

describe('SQLite checkpoints off the event loop', () => {
  test('the store writer never checkpoints itself: its log grows past 1,000 pages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostlink-store-'));
    const file = join(dir, 'hostlink.sqlite');
    const store = await openStore(`sqlite://${file}`);
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(store.db);
      assert.equal(rows[0]?.wal_autocheckpoint, 0);
      await sql`create table t (x integer)`.execute(store.db);
      for (let i = 0; i < COMMITS; i++) await sql`insert into t (x) values (${i})`.execute(store.db);
      // Each commit appends at least one frame; a checkpoint by the writer would have restarted the log.
      assert.ok(statSync(`${file}-wal`).size >= COMMITS * FRAME_BYTES, 'no checkpoint on the writer');
    } finally {
      await store.close();
    }
  });

  test('each interval, the second connection copies the whole log into the file', async () => {
    const { file, writer } = writtenFile();
    const clock = new ManualClock();
    const first = nextCheckpoint();
    const checkpointer = await WalCheckpointer.open(file, { clock, onCheckpoint: first.onCheckpoint });
    try {
      assert.equal(clock.pending, 1, 'one checkpoint waits for the interval');
      await clock.advance(CHECKPOINT_INTERVAL_MS);
      const result = await first.seen;
      assert.ok(result.logFrames >= COMMITS, `${result.logFrames} frames in the log`);
      assert.equal(result.checkpointedFrames, result.logFrames);
      assert.equal(result.busy, false);
      // The rows are in the database file itself: a reader that ignores the log finds them.
      writer.close();
      const reader = new Database(file, { readonly: true });
      assert.equal((reader.prepare('select count(*) as n from t').get() as { n: number }).n, COMMITS);
      reader.close();
    } finally {
      await checkpointer.close();
      if (writer.open) writer.close();
    }
  });

  test('checkpoints that keep failing are logged once and handed back to the writer', async () => {
    const { file, writer } = writtenFile();
    writer.close();
    const clock = new ManualClock();
    const logs = captureLogs();
    let handedBack = 0;
    const checkpointer = await WalCheckpointer.open(file, {
      clock,
      logger: createLogger({ level: 'info', destination: logs.stream }),
      onFailure: () => (handedBack += 1),
    });
    // Not a database any more: every checkpoint fails.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    closeSync(fd);
    try {
      await assert.rejects(checkpointer.checkpoint());
      for (let i = 0; i < 5; i++) {
        await clock.advance(CHECKPOINT_INTERVAL_MS);
        await checkpointer.checkpoint().catch(() => undefined);
      }
      assert.equal(handedBack, 1, 'handed back once');
      assert.equal(clock.pending, 0, 'no more checkpoints are tried');
      const warnings = logs.lines().filter((line) => line.level === 40);
      assert.equal(warnings.length, 1);
      assert.match(String(warnings[0]?.msg), /writer checkpoints for itself again/);
    } finally {
      await checkpointer.close();
    }
  });
});
