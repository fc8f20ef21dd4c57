import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from './migrations.js';
import { withStatementCache } from './statement-cache.js';
import { BackgroundCheckpoints } from './checkpoints.js';
import type { Logger } from '../logger.js';
import type { StoreSchema } from './schema.js';
import { StoreConfigError } from '../vault/store.js';

export type Engine = 'sqlite' | 'postgres';

/** The relational half of STORE_URL: ledger, reward settings (and later codes, watches, schedules). */
export interface RelationalStore {
  readonly db: Kysely<StoreSchema>;
  readonly engine: Engine;
  /** True when the store answers a trivial query (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

function sqliteFile(storeUrl: string, cwd: string): string {
  const file = storeUrl.slice('sqlite://'.length);
  return file === ':memory:' ? file : resolve(cwd, file);
}

/**
 * Opens the SQLite file in WAL mode (the key vault shares it, and readers
 * never block the writer). Its log is checkpointed on a thread of its own
 * (checkpoints.ts), so the event loop does not wait for checkpoint syncs.
 */
async function openSqlite(
  storeUrl: string,
  cwd: string,
  options: StoreOptions,
): Promise<{ db: Kysely<StoreSchema>; checkpoints?: BackgroundCheckpoints }> {
  const file = sqliteFile(storeUrl, cwd);
  if (file !== ':memory:') await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const database = new Database(file, { timeout: 5_000 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  const db = new Kysely<StoreSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  if (file === ':memory:') return { db };
  return { db, checkpoints: new BackgroundCheckpoints(file, database, options) };
}

export interface StoreOptions {
  /** Told when background checkpoints fail (the writer then checkpoints for itself). */
  logger?: Pick<Logger, 'warn'>;
}

/** Thrown when the store cannot be opened or migrated at start: one line, the URL without its password. */
export class MigrationError extends StoreConfigError {}

/** STORE_URL without user and password, for messages. */
export function safeStoreUrl(storeUrl: string): string {
  try {
    const url = new URL(storeUrl);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return storeUrl.replace(/\/\/[^@/]*@/, '//');
  }
}

/**
 * Opens the store of STORE_URL and brings its schema up to date. SQLite
 * and Postgres hold the relational data; redis:// can hold only the key
 * vault, so it is refused here with what to use instead.
 */
export async function openStore(
  storeUrl: string,
  cwd = process.cwd(),
  options: StoreOptions = {},
): Promise<RelationalStore> {
  const scheme = /^([a-z]+):\/\//.exec(storeUrl)?.[1] ?? '';
  let db: Kysely<StoreSchema>;
  let engine: Engine;
  let checkpoints: BackgroundCheckpoints | undefined;
  if (scheme === 'sqlite') {
    ({ db, checkpoints } = await openSqlite(storeUrl, cwd, options));
    engine = 'sqlite';
  } else if (scheme === 'postgres' || scheme === 'postgresql') {
    // Loaded only for a Postgres store: the default SQLite bot does not carry pg.
    db = (await import('./postgres.js')).openPostgres(storeUrl);
    engine = 'postgres';
  } else {
    throw new StoreConfigError(
      `STORE_URL is ${scheme}://…, which cannot hold the rewards ledger: use sqlite://<file> or postgres://…`,
    );
  }
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await checkpoints?.close();
    await db.destroy();
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new MigrationError(
      failed
        ? `the store's schema could not be updated (migration ${failed}): ${reason}`
        : `cannot open STORE_URL ${safeStoreUrl(storeUrl)}: ${reason}`,
    );
  }
  return {
    db,
    engine,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await checkpoints?.close();
      await db.destroy();
    },
  };
}
