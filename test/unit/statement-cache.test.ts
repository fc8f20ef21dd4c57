import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { withStatementCache } from '../../src/store/statement-cache.js';

/** A real in-memory SQLite database that counts how often each SQL text is compiled. */
function countingDatabase(): { database: Database.Database; prepared: Map<string, number> } {
  const database = new Database(':memory:');
  const prepared = new Map<string, number>();
  const prepare = database.prepare.bind(database);
  database.prepare = ((sql: string) => {
    prepared.set(sql, (prepared.get(sql) ?? 0) + 1);
    return prepare(sql);
  }) as typeof database.prepare;
  return { database, prepared };
}

test('each distinct SQL text is compiled once, and a reused statement still answers with current rows', () => {
  const { database, prepared } = countingDatabase();
  const cached = withStatementCache(database);
  cached.prepare('CREATE TABLE t (n INTEGER)').run([]);
  const insert = 'INSERT INTO t (n) VALUES (?)';
  const count = 'SELECT count(*) AS c FROM t';
  for (let n = 1; n <= 3; n += 1) {
    cached.prepare(insert).run([n]);
    assert.deepEqual(cached.prepare(count).all([]), [{ c: n }]);
  }
  assert.equal(prepared.get(insert), 1);
  assert.equal(prepared.get(count), 1);
  cached.close();
});

test('the cache is bounded: past 500 texts the oldest is compiled again when it comes back', () => {
  const { database, prepared } = countingDatabase();
  const cached = withStatementCache(database);
  for (let i = 0; i <= 500; i += 1) cached.prepare(`SELECT ${i} AS n`);
  cached.prepare('SELECT 500 AS n'); // the newest: still cached
  cached.prepare('SELECT 0 AS n'); // the oldest: evicted by the 501st
  assert.equal(prepared.get('SELECT 500 AS n'), 1);
  assert.equal(prepared.get('SELECT 0 AS n'), 2);
  cached.close();
});
