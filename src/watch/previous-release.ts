import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { RelationalStore } from '../store/database.js';
import { importReleaseWatchFile } from '../store/watch-import.js';
import { dataFolderFor } from '../vault/key-file.js';

/**
 * A Postgres deployment of the previous release kept its watch tables in
 * `<data folder>/hostlink.sqlite`; they move into the store once, at start.
 * A failure is logged and leaves the file in place for the next start.
 */
export async function importPreviousWatchFile(
  store: RelationalStore,
  storeUrl: string,
  logger: Logger,
  cwd = process.cwd(),
): Promise<void> {
  if (store.engine !== 'postgres') return;
  const file = join(dataFolderFor(storeUrl, cwd), 'hostlink.sqlite');
  try {
    const rows = await importReleaseWatchFile(store.db, file);
    if (rows !== undefined)
      logger.info({ rows, file }, 'Moved the previous release’s watch tables into the store');
  } catch (error) {
    logger.error(
      { err: error, file },
      'Could not move the previous release’s watch tables into the store; the file stays and is tried again at the next start',
    );
  }
}
