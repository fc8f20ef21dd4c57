import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/database.js';
import { createKeyv, openStoreAdapter } from '../../src/vault/store.js';

function storeFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'hostlink-vault-')), 'hostlink.sqlite');
}

test('keys stored in the keyv table before (the @keyv/sqlite layout) stay readable, and writes keep that layout', async () => {
  const file = storeFile();
  const earlier = new Database(file);
  earlier.exec('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
  earlier.prepare('INSERT INTO keyv (key, value) VALUES (?, ?)').run('apikeys:100', '{"value":"sealed-100"}');
  earlier.close();

  const adapter = await openStoreAdapter(`sqlite://${file}`);
  const keys = createKeyv<string>(adapter, 'apikeys');
  assert.equal(await keys.get('100'), 'sealed-100');
  await keys.set('200', 'sealed-200');
  assert.equal(await keys.delete('100'), true);
  assert.equal(await keys.delete('100'), false, 'already gone');
  await adapter.disconnect?.();

  const reader = new Database(file, { readonly: true });
  assert.deepEqual(reader.prepare('SELECT key, value FROM keyv ORDER BY key').all(), [
    { key: 'apikeys:200', value: '{"value":"sealed-200"}' },
  ]);
  reader.close();
});

test('clear() empties its own namespace only', async () => {
  const adapter = await openStoreAdapter(`sqlite://${storeFile()}`);
  const mine = createKeyv<string>(adapter, 'apikeys');
  await mine.set('1', 'a');
  const otherAdapter = await openStoreAdapter('sqlite://:memory:');
  assert.equal(await createKeyv<string>(otherAdapter, 'apikeys').get('1'), undefined, 'memory is its own');
  await adapter.set('other:1', '{"value":"b"}');
  await mine.clear();
  assert.equal(await mine.get('1'), undefined);
  assert.equal(await adapter.get('other:1'), '{"value":"b"}');
  await adapter.disconnect?.();
  await otherAdapter.disconnect?.();
});

test('the vault and the relational store use one copy of SQLite in the process', async () => {
  const file = storeFile();
  const store = await openStore(`sqlite://${file}`);
  const adapter = await openStoreAdapter(`sqlite://${file}`);
  await createKeyv<string>(adapter, 'apikeys').set('1', 'sealed');
  // node-sqlite3 links a second SQLite; two copies sharing a file in one process ignore each other's locks.
  const maps = readFileSync('/proc/self/maps', 'utf8');
  assert.doesNotMatch(maps, /node_sqlite3\.node/);
  assert.match(maps, /better_sqlite3\.node/);
  await adapter.disconnect?.();
  await store.close();
});
