import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/** The table and key size @keyv/sqlite uses: keys it stored stay readable. */
const TABLE = 'keyv';
const KEY_SIZE = 255;

interface Row {
  key: string;
  value: string;
}

/**
 * Keyv's SQLite store on better-sqlite3, the driver of the relational store
 * that shares the file, in @keyv/sqlite's table layout. @keyv/sqlite runs on
 * node-sqlite3, which links a second copy of SQLite into the process; two
 * copies do not see each other's locks on a file they share (POSIX locks
 * belong to the process; sqlite.org/howtocorrupt.html, 2.2.1), so a
 * checkpoint or log restart by one could pull pages from under the other.
 */
export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: { dialect: 'sqlite'; uri: string; table: string };
  namespace?: string | undefined;
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[string], Row>;
  readonly #upsert: Database.Statement<[string, string]>;
  readonly #delete: Database.Statement<[string]>;
  readonly #clear: Database.Statement<[string]>;
  readonly #page: Database.Statement<[string, number, number], Row>;

  constructor(file: string, busyTimeoutMs: number) {
    super();
    this.opts = { dialect: 'sqlite', uri: `sqlite://${file}`, table: TABLE };
    this.#db = new Database(file, { timeout: busyTimeoutMs });
    if (file !== ':memory:') {
      try {
        this.#db.pragma('journal_mode = WAL');
      } catch {
        // Another connection holds the file: it keeps its mode, and the busy timeout still bounds waits.
      }
    }
    this.#db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE}(key VARCHAR(${KEY_SIZE}) PRIMARY KEY, value TEXT)`);
    this.#get = this.#db.prepare(`SELECT key, value FROM ${TABLE} WHERE key = ?`);
    this.#upsert = this.#db.prepare(
      `INSERT INTO ${TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    );
    this.#delete = this.#db.prepare(`DELETE FROM ${TABLE} WHERE key = ?`);
    this.#clear = this.#db.prepare(`DELETE FROM ${TABLE} WHERE key LIKE ?`);
    this.#page = this.#db.prepare(
      `SELECT key, value FROM ${TABLE} WHERE key LIKE ? ORDER BY key LIMIT ? OFFSET ?`,
    );
  }

  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.#run(() => this.#get.get(key)?.value as StoredData<Value> | undefined);
  }

  getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return this.#run(() => keys.map((key) => this.#get.get(key)?.value as StoredData<Value | undefined>));
  }

  set(key: string, value: unknown): Promise<void> {
    return this.#run(() => {
      this.#upsert.run(key, String(value));
    });
  }

  delete(key: string): Promise<boolean> {
    return this.#run(() => this.#delete.run(key).changes > 0);
  }

  deleteMany(keys: string[]): Promise<boolean> {
    return this.#run(() =>
      this.#db.transaction(() =>
        keys.reduce((any, key) => this.#delete.run(key).changes > 0 || any, false),
      )(),
    );
  }

  has(key: string): Promise<boolean> {
    return this.#run(() => this.#get.get(key) !== undefined);
  }

  clear(): Promise<void> {
    return this.#run(() => {
      this.#clear.run(this.namespace ? `${this.namespace}:%` : '%');
    });
  }

  async *iterator<Value>(
    namespace?: string,
  ): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const pattern = `${namespace ? `${namespace}:` : ''}%`;
    for (let offset = 0; ; offset += 100) {
      const rows = this.#page.all(pattern, 100, offset);
      if (rows.length === 0) return;
      for (const row of rows) yield [row.key, row.value as Awaited<Value>];
    }
  }

  disconnect(): Promise<void> {
    return this.#run(() => {
      this.#db.close();
    });
  }

  /** Runs a synchronous statement as the adapter's promise: a thrown SqliteError becomes a rejection. */
  #run<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
