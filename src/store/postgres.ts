import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { StoreSchema } from './schema.js';

/** Postgres `bigint` comes back as a string by default; every bigint here is a time or a coin count. */
const PG_INT8 = 20;
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === PG_INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text'),
} as unknown as pg.CustomTypesConfig;

export function openPostgres(storeUrl: string): Kysely<StoreSchema> {
  const pool = new pg.Pool({ connectionString: storeUrl, max: 5, types: pgTypes });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
}
