import type Database from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept prepared; the store's queries are a few dozen shapes. */
const MAX_STATEMENTS = 500;

/**
 * The SQLite handle Kysely sees, preparing each distinct SQL text once.
 * Kysely's driver prepares every query anew, which costs more than running
 * it (a /claim runs about ten small statements). One connection behind
 * Kysely's mutex runs one query at a time, so reusing a statement is safe.
 */
export function withStatementCache(database: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) return statement;
      statement = database.prepare(sql);
      if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
      return statement;
    },
  };
}
