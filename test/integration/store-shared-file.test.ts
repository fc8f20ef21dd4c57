import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/database.js';
import { openWatchDatabase } from '../../src/watch/database.js';

/**
 * The rewards store and the watch tables live in the one SQLite file of
 * STORE_URL. Each runs its own migrations there; opened in either order and
 * again after a restart, neither may take the other's history for its own.
 */
test('the rewards store and the watch tables migrate side by side in one SQLite file, in either order', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'hostlink-shared-'));
  try {
    const file = join(folder, 'hostlink.sqlite');
    const url = `sqlite://${file}`;
    for (const order of ['store first', 'watch first', 'store first']) {
      const opened =
        order === 'store first'
          ? [await openStore(url), await openWatchDatabase(file)]
          : [await openWatchDatabase(file), await openStore(url)];
      const [a, b] = opened;
      for (const handle of [a, b]) {
        if (handle && 'close' in handle && typeof handle.close === 'function') await handle.close();
        else await (handle as { destroy(): Promise<void> }).destroy();
      }
    }
    const store = await openStore(url);
    assert.equal(await store.ping(), true);
    await store.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
