import type { Kysely } from 'kysely';
import type { StoreSchema } from './schema.js';
import type { WatchTables } from './watch-schema.js';

/**
 * The watch feature's narrowed view of the store: the same connection, typed
 * with its own tables only. Kysely's schema parameter is invariant, hence the
 * cast; it is sound because StoreSchema extends WatchTables table by table.
 */
export function watchTablesOf(db: Kysely<StoreSchema>): Kysely<WatchTables> {
  return db as unknown as Kysely<WatchTables>;
}
