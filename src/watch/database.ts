import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import { watchMigrations } from './migrations.js';
import type { WatchDatabase } from './schema.js';

/**
 * Opens the watch tables in a SQLite file (WAL, like the key vault) and runs
 * the migrations. Stand-in until the shared relational store provides the
 * Kysely instance; everything else only sees `Kysely<WatchDatabase>`.
 */
export async function openWatchDatabase(file: string): Promise<Kysely<WatchDatabase>> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<WatchDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return db;
}

const provider: MigrationProvider = {
  getMigrations: (): Promise<Record<string, Migration>> => Promise.resolve(watchMigrations),
};

/**
 * The watch tables keep their own migration history: the rewards store runs
 * its migrations on the same SQLite file, and one Kysely history table for
 * both would make each side read the other's rows as "missing" migrations.
 */
const HISTORY = { migrationTableName: 'watch_migration', migrationLockTableName: 'watch_migration_lock' };

export async function migrate(db: Kysely<WatchDatabase>): Promise<void> {
  const { error } = await new Migrator({ db, provider, ...HISTORY }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
