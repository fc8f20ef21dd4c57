import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { startE2E, type E2E } from '../helpers/e2e.js';
import {
  answerConfirmation,
  command,
  dataFiles,
  ephemeral,
  newUserId,
  seen,
  setKey,
  str,
  userWithKey,
} from '../helpers/user-side.js';

function sql(file: string, query: string, ...params: unknown[]): Promise<Array<Record<string, string>>> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (openError) => {
      if (openError) return reject(openError);
      db.configure('busyTimeout', 5_000);
      db.all(query, params, (error, rows) => {
        db.close();
        if (error) reject(error);
        else resolve(rows as Array<Record<string, string>>);
      });
    });
  });
}

describe('/apikey: storing, showing and removing a key', () => {
  let e2e: E2E;
  const keys: string[] = [];
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e.close();
  });

  test('/apikey set opens a private form; the key is never a command option', async () => {
    const interaction = command(e2e, newUserId(), 'apikey', 'set');
    const callback = await interaction.waitForCallback();
    assert.equal(callback.type, 9, 'a modal');
    const label = callback.data.components[0];
    assert.equal(label.type, 18);
    assert.equal(label.component.custom_id, 'key');
    assert.equal(label.component.min_length, 55);
    assert.equal(label.component.max_length, 55);
    assert.equal(e2e.atomichost.requests.length, 0, 'no AtomicHost call before the key is typed');
  });

  test('a malformed key is refused before any call', async () => {
    const before = e2e.atomichost.requests.length;
    for (const bad of [
      'ah_short',
      `ah_${'a'.repeat(51)}!`,
      `xx_${'a'.repeat(52)}`,
      `ah_${'a'.repeat(51)}é`,
    ]) {
      const { modal, embed } = await setKey(e2e, newUserId(), bad);
      assert.equal(embed.title, 'Not an API key');
      assert.match(embed.description!, /`ah_` followed by 52 letters and digits/);
      assert.ok(ephemeral(modal), 'answered privately');
    }
    assert.equal(e2e.atomichost.requests.length, before);
  });

  test('a valid key is verified with GET /me, stored, and answered privately with account, prefix and credits', async () => {
    const account = e2e.atomichost.addAccount({ username: 'steve' });
    keys.push(account.key);
    const userId = newUserId();
    const before = e2e.atomichost.requests.length;
    const { modal, embed } = await setKey(e2e, userId, account.key);
    assert.ok(ephemeral(modal), 'answered privately');
    assert.equal(modal.callbacks[0]?.type, 5, 'deferred before calling AtomicHost');
    assert.equal(embed.title, 'API key saved');
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    assert.equal(fields.Account, `steve (id ${account.id})`);
    assert.equal(fields.Key, `\`${account.key.slice(0, 11)}…\` · My Key`);
    assert.match(fields.Credits!, /^2,499 of 2,500 left today · resets <t:\d+:R>$/);
    assert.equal(embed.footer, undefined, 'the credits are shown once, in their field');
    const calls = e2e.atomichost.requests.slice(before);
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.path}`),
      ['GET /me'],
    );
    assert.equal(calls[0]!.headers.authorization, `Bearer ${account.key}`);
    assert.ok(!JSON.stringify(modal.callbacks).includes(account.key), 'the key is not echoed');
    assert.ok(!JSON.stringify(modal.original).includes(account.key), 'the key is not echoed');

    const status = command(e2e, userId, 'apikey', 'status');
    const shown = await seen(status);
    assert.ok(ephemeral(status), 'answered privately');
    assert.equal(shown.title, 'Your AtomicHost API key');
    assert.match(shown.fields!.find((f) => f.name === 'Key')!.value, new RegExp(account.key.slice(0, 11)));
    assert.match(shown.fields!.find((f) => f.name === 'Credits')!.value, /^2,498 of 2,500 left today/);
    assert.equal(shown.footer, undefined, 'the credits are shown once, in their field');
    assert.ok(
      shown.fields!.some((f) => f.name === 'Last used'),
      'last used shown',
    );
  });

  test('a well-formed key AtomicHost does not know is not stored', async () => {
    const userId = newUserId();
    const { embed } = await setKey(e2e, userId, `ah_${'Z'.repeat(52)}`);
    assert.equal(embed.title, 'Key not accepted');
    assert.match(embed.description!, /invalid, revoked or was replaced.*Nothing was stored/);
    const status = await seen(command(e2e, userId, 'apikey', 'status'));
    assert.equal(status.title, 'No API key');
  });

  test('a key of a banned account is not stored', async () => {
    const account = e2e.atomichost.addAccount({ username: 'banned-before' });
    const old = account.key;
    e2e.atomichost.ban(account.id);
    const { embed } = await setKey(e2e, newUserId(), old);
    assert.equal(embed.title, 'Key not accepted');
    assert.match(embed.description!, /banned or suspended/);
  });

  test('without a key, user-side commands say how to add one, without calling AtomicHost', async () => {
    const userId = newUserId();
    const before = e2e.atomichost.requests.length;
    for (const [name, sub, options] of [
      ['apikey', 'status', []],
      ['apikey', 'remove', []],
      ['server', 'list', []],
      ['server', 'status', [str('server', '101')]],
      ['server', 'power', [str('server', '101'), str('signal', 'stop')]],
      ['files', 'list', [str('server', '101')]],
      ['files', 'delete', [str('server', '101'), str('path', '/a.txt')]],
      ['files', 'write', [str('server', '101'), str('path', '/a.txt')]],
      ['backups', 'list', [str('server', '101')]],
      ['backups', 'delete', [str('server', '101'), str('backup', 'abc')]],
    ] as const) {
      const interaction = command(e2e, userId, name, sub, [...options]);
      const embed = await seen(interaction);
      assert.equal(embed.title, 'No API key', `/${name} ${sub}`);
      assert.match(embed.description!, /Run `\/apikey set`/);
      assert.ok(ephemeral(interaction), 'answered privately');
    }
    assert.equal(e2e.atomichost.requests.length, before);
  });

  test('/apikey remove asks first; Cancel keeps the key, Confirm deletes it; nobody else can answer', async () => {
    const { userId } = await userWithKey(e2e, 'remover');
    const cancelled = command(e2e, userId, 'apikey', 'remove');
    const question = await seen(cancelled);
    assert.equal(question.title, 'Remove your API key?');
    assert.ok(ephemeral(cancelled), 'answered privately');
    const { embed: afterCancel } = await answerConfirmation(e2e, cancelled, userId, 'no');
    assert.match(afterCancel.footer!.text, /Cancelled — nothing was changed/);
    assert.equal((await seen(command(e2e, userId, 'apikey', 'status'))).title, 'Your AtomicHost API key');

    const asked = command(e2e, userId, 'apikey', 'remove');
    await seen(asked);
    const { embed: intruder } = await answerConfirmation(e2e, asked, newUserId(), 'yes');
    assert.equal(intruder.title, 'Not your confirmation');

    const { embed: removed } = await answerConfirmation(e2e, asked, userId, 'yes');
    assert.equal(removed.title, 'API key removed');
    assert.equal((await seen(command(e2e, userId, 'apikey', 'status'))).title, 'No API key');
  });

  test('a regenerated key is deleted from the vault at its next use, saying why', async () => {
    const { userId, account } = await userWithKey(e2e, 'regen');
    keys.push(account.key);
    const fresh = e2e.atomichost.regenerateKey(account.id);
    keys.push(fresh);
    const embed = await seen(command(e2e, userId, 'server', 'list'));
    assert.equal(embed.title, 'API key removed');
    assert.match(embed.description!, /regenerated or revoked.*deleted the copy/);
    const before = e2e.atomichost.requests.length;
    assert.equal((await seen(command(e2e, userId, 'server', 'list'))).title, 'No API key');
    assert.equal(e2e.atomichost.requests.length, before, 'the dead key is not sent again');
    const rows = await sql(
      join(e2e.bot.cwd, 'data/hostlink.sqlite'),
      'SELECT key FROM keyv WHERE key = ?',
      `apikeys:${userId}`,
    );
    assert.equal(rows.length, 0, 'the record is gone from the store');
  });

  test('a banned account: the key is deleted at the next use, saying why', async () => {
    const { userId, account } = await userWithKey(e2e, 'to-be-banned');
    keys.push(account.key);
    e2e.atomichost.ban(account.id);
    const embed = await seen(command(e2e, userId, 'apikey', 'status'));
    assert.equal(embed.title, 'API key removed');
    assert.match(embed.description!, /banned or suspended.*deleted the copy/);
    assert.equal((await seen(command(e2e, userId, 'apikey', 'status'))).title, 'No API key');
  });

  test("a record copied to another user's slot does not open: reported as unreadable, not a crash", async () => {
    const a = await userWithKey(e2e, 'alice');
    const b = await userWithKey(e2e, 'bob');
    keys.push(a.account.key, b.account.key);
    const file = join(e2e.bot.cwd, 'data/hostlink.sqlite');
    const [row] = await sql(file, 'SELECT value FROM keyv WHERE key = ?', `apikeys:${a.userId}`);
    assert.ok(row, "alice's record is stored under her id");
    await sql(file, 'UPDATE keyv SET value = ? WHERE key = ?', row.value, `apikeys:${b.userId}`);
    const before = e2e.atomichost.requests.length;
    const embed = await seen(command(e2e, b.userId, 'server', 'list'));
    assert.equal(embed.title, 'Stored key unreadable');
    assert.match(embed.description!, /stored key unreadable — set it again/i);
    assert.equal(e2e.atomichost.requests.length, before, "alice's key was not used for bob");
    // Setting it again heals it.
    const { embed: saved } = await setKey(e2e, b.userId, b.account.key);
    assert.equal(saved.title, 'API key saved');
    assert.equal(
      (await seen(command(e2e, b.userId, 'apikey', 'status'))).fields![0]!.value,
      `bob (id ${b.account.id})`,
    );
  });

  test('neither the store file nor the logs hold any key in plaintext', () => {
    assert.ok(keys.length >= 5, 'keys collected');
    const files = dataFiles(e2e);
    assert.ok(
      files.some((f) => f.path.endsWith('hostlink.sqlite')),
      'the store file exists',
    );
    for (const { path, bytes } of files) {
      for (const key of keys) {
        assert.ok(!bytes.includes(Buffer.from(key)), `${path} holds a key`);
        assert.ok(!bytes.includes(Buffer.from(key.slice(3))), `${path} holds a key body`);
      }
    }
    const logs = e2e.bot.stdout() + e2e.bot.stderr();
    for (const key of keys) assert.ok(!logs.includes(key.slice(3, 40)), 'a key in the logs');
  });
});
