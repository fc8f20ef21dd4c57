import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { StoreSchema } from './schema.js';
import type { WatchTables } from './watch-schema.js';
import { watchTablesOf } from './watch-view.js';

/** The tables the previous release kept in its local watch file, in an order that copies cleanly. */
const RELEASE_TABLES = [
  'watch_panels',
  'watch_pollers',
  'schedule_actions',
  'reminder_optins',
  'reminder_accounts',
] as const satisfies ReadonlyArray<keyof WatchTables>;

/** Rows per INSERT: well under Postgres's 65,535 parameters at 11 columns. */
const BATCH = 500;

/**
 * With a Postgres STORE_URL the previous release kept panels, pollers,
 * schedules and reminders in a SQLite file of the data folder
 * (`data/hostlink.sqlite`). Their rows are copied into the store once (a row
 * already there wins, so processes sharing the folder may race), and the file
 * is renamed `….imported` so no later start reads it again. Returns how many
 * rows were copied, or undefined when there was no such file.
 */
export async function importReleaseWatchFile(
  store: Kysely<StoreSchema>,
  file: string,
): Promise<number | undefined> {
  if (!existsSync(file)) return undefined;
  const sqlite = new Database(file, { fileMustExist: true });
  let copied = 0;
  try {
    const present = new Set(
      sqlite
        .prepare(`select name from sqlite_master where type = 'table'`)
        .all()
        .map((row) => (row as { name: string }).name),
    );
    // Not a watch file of that release: left alone.
    if (!present.has('watch_migration')) return undefined;
    const db = watchTablesOf(store);
    await db.transaction().execute(async (trx) => {
      for (const table of RELEASE_TABLES) {
        if (!present.has(table)) continue;
        const rows = sqlite.prepare(`select * from ${table}`).all() as never[];
        for (let i = 0; i < rows.length; i += BATCH) {
          const result = await trx
            .insertInto(table)
            .values(rows.slice(i, i + BATCH))
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst();
          copied += Number(result.numInsertedOrUpdatedRows ?? 0);
        }
      }
    });
  } finally {
    // Closing the last connection folds the WAL back into the file, so one file is left to rename.
    sqlite.close();
  }
  await rename(file, `${file}.imported`).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error; // another process sharing the folder renamed it first
  });
  return copied;
}
