import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { captureLogs } from '../helpers/log-capture.js';
import { VaultError } from '../../src/vault/errors.js';
import { presentError } from '../../src/presenter/errors.js';
import {
  createVault,
  dataFolderFor,
  KEY_FILE_NAME,
  openStoreAdapter,
  StoreConfigError,
} from '../../src/vault/index.js';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-vault-'));
  folders.push(dir);
  return dir;
}

function capture() {
  const out = captureLogs();
  return { logger: createLogger({ level: 'debug', destination: out.stream }), text: out.text };
}

function config(cwd: string, env: Record<string, string> = {}) {
  return parseConfig(
    { DISCORD_TOKEN: 'x', STORE_URL: `sqlite://${join(cwd, 'data/hostlink.sqlite')}`, ...env },
    'bot',
  );
}

const KEY_A = `ah_${'A1b2C3d4'.repeat(6)}Zz99`;
const KEY_B = `ah_${'Q9w8E7r6'.repeat(6)}Yy11`;
const alice = '190000000000000011';
const bob = '190000000000000022';

test('the data folder is the folder of the SQLite file, else ./data', () => {
  assert.equal(dataFolderFor('sqlite://data/hostlink.sqlite', '/srv/bot'), '/srv/bot/data');
  assert.equal(dataFolderFor('sqlite:///var/lib/hostlink/db.sqlite', '/srv/bot'), '/var/lib/hostlink');
  assert.equal(dataFolderFor('sqlite://:memory:', '/srv/bot'), '/srv/bot/data');
  assert.equal(dataFolderFor('redis://localhost:6379', '/srv/bot'), '/srv/bot/data');
});

test('round trip through SQLite; the store file and the logs never hold the plaintext', async () => {
  const cwd = tempDir();
  const { logger, text } = capture();
  const vault = await createVault(
    config(cwd, { ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    logger,
    cwd,
  );
  await vault.set(alice, KEY_A);
  await vault.set(bob, KEY_B);
  assert.equal(await vault.get(alice), KEY_A);
  assert.equal(await vault.get(bob), KEY_B);
  assert.equal(await vault.get('190000000000000033'), undefined);
  assert.equal(await vault.delete(bob), true);
  assert.equal(await vault.get(bob), undefined);
  assert.equal(await vault.delete(bob), false);
  await vault.close();
  for (const file of readdirSync(join(cwd, 'data'))) {
    const bytes = readFileSync(join(cwd, 'data', file));
    for (const key of [KEY_A, KEY_B]) {
      assert.equal(bytes.includes(Buffer.from(key)), false, `${file} holds a key`);
      assert.equal(bytes.includes(Buffer.from(key.slice(3, 30))), false, `${file} holds part of a key`);
    }
  }
  for (const key of [KEY_A, KEY_B]) assert.equal(text().includes(key.slice(3, 30)), false, 'key in the logs');
});

test('without ENCRYPTION_KEY a key file is generated once (mode 0600), reused, and warned about at every start', async () => {
  const cwd = tempDir();
  const first = capture();
  const v1 = await createVault(config(cwd), first.logger, cwd);
  await v1.set(alice, KEY_A);
  await v1.close();
  const file = join(cwd, 'data', KEY_FILE_NAME);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const generated = readFileSync(file, 'utf8');
  assert.equal(Buffer.from(generated.trim(), 'base64').length, 32);
  assert.match(first.text(), /ENCRYPTION_KEY is not set.*\(generated now\)/);

  const second = capture();
  const v2 = await createVault(config(cwd), second.logger, cwd);
  assert.equal(await v2.get(alice), KEY_A, 'the same key file opens the old record');
  await v2.close();
  assert.equal(readFileSync(file, 'utf8'), generated, 'never regenerated');
  assert.match(second.text(), /ENCRYPTION_KEY is not set/);
  assert.doesNotMatch(second.text(), /generated now/);
  assert.equal(second.text().includes(generated.trim()), false, 'the key itself is not logged');
});

test('a key file readable by others is narrowed to 0600 with a warning', async () => {
  const cwd = tempDir();
  await (await createVault(config(cwd), capture().logger, cwd)).close();
  const file = join(cwd, 'data', KEY_FILE_NAME);
  writeFileSync(file, readFileSync(file), { mode: 0o644 });
  (await import('node:fs')).chmodSync(file, 0o644);
  const { logger, text } = capture();
  await (await createVault(config(cwd), logger, cwd)).close();
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(text(), /readable by others/);
});

test('rotation: ENCRYPTION_KEY_PREVIOUS opens old records, which are re-encrypted with the current key on read', async () => {
  const cwd = tempDir();
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  const v1 = await createVault(config(cwd, { ENCRYPTION_KEY: oldKey }), capture().logger, cwd);
  await v1.set(alice, KEY_A);
  await v1.close();

  const log = capture();
  const rotated = await createVault(
    config(cwd, { ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey }),
    log.logger,
    cwd,
  );
  assert.equal(await rotated.get(alice), KEY_A);
  await rotated.close();
  assert.match(log.text(), /Re-encrypted a stored API key with the current encryption key/);
  assert.equal(log.text().includes(KEY_A.slice(3, 30)), false, 'key in the logs');

  // The old key is no longer needed: the record was re-sealed with the new one.
  const onlyNew = await createVault(config(cwd, { ENCRYPTION_KEY: newKey }), capture().logger, cwd);
  assert.equal(await onlyNew.get(alice), KEY_A);
  await onlyNew.close();
});

test('records sealed with the generated key file stay readable after ENCRYPTION_KEY is set', async () => {
  const cwd = tempDir();
  const v1 = await createVault(config(cwd), capture().logger, cwd);
  await v1.set(alice, KEY_A);
  await v1.close();
  const v2 = await createVault(
    config(cwd, { ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    capture().logger,
    cwd,
  );
  assert.equal(await v2.get(alice), KEY_A);
  await v2.close();
});

test('a record that fails to open is a VaultError read as "stored key unreadable — set it again", and is kept', async () => {
  const cwd = tempDir();
  const v1 = await createVault(
    config(cwd, { ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    capture().logger,
    cwd,
  );
  await v1.set(alice, KEY_A);
  await v1.close();
  const { logger, text } = capture();
  const other = await createVault(
    config(cwd, { ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    logger,
    cwd,
  );
  await assert.rejects(other.get(alice), (error: unknown) => {
    assert.ok(error instanceof VaultError && error.kind === 'unreadable', 'a VaultError');
    const presented = presentError(error);
    assert.equal(presented?.title, 'Stored key unreadable');
    assert.match(presented?.text ?? '', /stored key unreadable — set it again/i);
    return true;
  });
  assert.equal(await other.has(alice), true, 'nothing was deleted');
  assert.match(text(), /could not be opened/);
  await other.set(alice, KEY_B);
  assert.equal(await other.get(alice), KEY_B, 'setting it again heals it');
  await other.close();
});

test('store failures are reported as a VaultError and logged, never thrown raw', async () => {
  const cwd = tempDir();
  const { logger, text } = capture();
  const vault = await createVault(
    config(cwd, { ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    logger,
    cwd,
  );
  await vault.close();
  await assert.rejects(
    vault.get(alice),
    (error: unknown) => error instanceof VaultError && error.kind === 'unavailable',
  );
  assert.match(text(), /Key store (failed|error)/);
});

// postgres:// has its Keyv package since issue 12 (the store suite opens it against a real server).
test('redis:// without its Keyv package fails with the package to install', async () => {
  await assert.rejects(openStoreAdapter('redis://localhost:6379'), (error: unknown) => {
    assert.ok(error instanceof StoreConfigError, 'a StoreConfigError');
    assert.match(error.message, /needs the @keyv\/redis package/);
    return true;
  });
});
