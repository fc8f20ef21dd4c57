import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import type { FakeService } from '../fakes/atomichost/index.js';
import {
  CREDITS_FOOTER,
  answerConfirmation,
  command,
  ephemeral,
  seen,
  str,
  userWithKey,
} from '../helpers/user-side.js';

describe('/backups: list, create, info, delete and autocomplete', () => {
  let e2e: E2E;
  let owner: string;
  let viewer: string;
  let server: FakeService;
  let tiny: FakeService;
  const sid = () => str('server', String(server.id));

  before(async () => {
    e2e = await startE2E();
    const o = await userWithKey(e2e, 'owner');
    owner = o.userId;
    server = e2e.atomichost.addService({
      name: 'Backed up',
      ownerId: o.account.id,
      files: { '/a.txt': 'abc' },
    });
    tiny = e2e.atomichost.addService({ name: 'Tiny', ownerId: o.account.id, backupLimit: 0 });
    const v = await userWithKey(e2e, 'viewer');
    viewer = v.userId;
    e2e.atomichost.share(server.id, v.account.id, ['files']);
  });
  after(async () => {
    await e2e.close();
  });

  const since = () => {
    const start = e2e.atomichost.requests.length;
    return () => e2e.atomichost.requests.slice(start).map((r) => [r.method, r.path, r.body]);
  };

  test('list says when there are no backups', async () => {
    const interaction = command(e2e, owner, 'backups', 'list', [sid()]);
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.description, 'This server has no backups yet. Make one with `/backups create`.');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
  });

  test('create sends the name and the ignored patterns (comma-separated → one per line)', async () => {
    const calls = since();
    const embed = await seen(
      command(e2e, owner, 'backups', 'create', [
        sid(),
        str('name', 'pre-update'),
        str('ignored', 'logs/*, *.tmp'),
      ]),
    );
    assert.equal(embed.title, 'Backup started');
    const fields = Object.fromEntries(embed.fields!.map((f) => [f.name, f.value]));
    assert.equal(fields.Name, 'pre-update');
    assert.equal(fields.Ignored, '`logs/*` `*.tmp`');
    assert.equal(fields.State, '✅ done');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    assert.deepEqual(calls(), [
      ['POST', `/servers/${server.id}/backups`, { name: 'pre-update', ignored: 'logs/*\n*.tmp' }],
    ]);
    assert.equal(server.backups.length, 1);
  });

  test('create without options lets the panel name it', async () => {
    const calls = since();
    const embed = await seen(command(e2e, owner, 'backups', 'create', [sid()]));
    assert.equal(embed.title, 'Backup started');
    assert.deepEqual(calls(), [['POST', `/servers/${server.id}/backups`, {}]]);
  });

  test('a blank name is refused locally', async () => {
    const calls = since();
    const embed = await seen(command(e2e, owner, 'backups', 'create', [sid(), str('name', '   ')]));
    assert.equal(embed.title, 'Invalid name');
    assert.deepEqual(calls(), []);
  });

  test('list shows each backup; autocomplete offers them by name', async () => {
    const embed = await seen(command(e2e, owner, 'backups', 'list', [sid()]));
    const lines = embed.description!.split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      new RegExp(
        `^\\*\\*pre-update\\*\\* · \`${server.backups[0]!.uuid.slice(0, 8)}\` · ✅ done · 3 B · <t:\\d+:f>$`,
      ),
    );

    const ac = e2e.discord.autocomplete({
      name: 'backups',
      subcommand: 'info',
      focused: 'backup',
      options: [sid(), str('backup', 'pre')],
      userId: owner,
    });
    assert.deepEqual((await ac.waitForCallback()).data.choices, [
      { name: `pre-update (${server.backups[0]!.uuid.slice(0, 8)})`, value: server.backups[0]!.uuid },
    ]);
  });

  test('info shows a backup', async () => {
    const backup = server.backups[0]!;
    const embed = await seen(command(e2e, owner, 'backups', 'info', [sid(), str('backup', backup.uuid)]));
    assert.equal(embed.title, 'Backup pre-update');
    assert.equal(embed.fields!.find((f) => f.name === 'ID')!.value, `\`${backup.uuid}\``);
    assert.match(embed.footer!.text, CREDITS_FOOTER);
  });

  test('an unknown backup is a clear 404; a malformed one is refused locally', async () => {
    const missing = await seen(
      command(e2e, owner, 'backups', 'info', [sid(), str('backup', '00000000-0000-0000-0000-000000000000')]),
    );
    assert.equal(missing.description, 'AtomicHost says: Backup not found.');
    const calls = since();
    const bad = await seen(command(e2e, owner, 'backups', 'info', [sid(), str('backup', 'not a uuid/..')]));
    assert.equal(bad.title, 'Unknown backup');
    assert.deepEqual(calls(), []);
  });

  test('delete asks first; Cancel keeps it; Confirm deletes it', async () => {
    const backup = server.backups[1]!;
    const kept = command(e2e, owner, 'backups', 'delete', [sid(), str('backup', backup.uuid)]);
    const asked = await seen(kept);
    assert.match(asked.title!, /^Delete backup .+\?$/);
    await answerConfirmation(e2e, kept, owner, 'no');
    assert.equal(server.backups.length, 2);

    const calls = since();
    const question = command(e2e, owner, 'backups', 'delete', [sid(), str('backup', backup.uuid)]);
    const { embed } = await answerConfirmation(e2e, question, owner, 'yes');
    assert.equal(embed.title, 'Backup deleted');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    assert.deepEqual(calls(), [['DELETE', `/servers/${server.id}/backups/${backup.uuid}`, undefined]]);
    assert.equal(server.backups.length, 1);
  });

  test('a locked backup: AtomicHost refuses, and the reply says why', async () => {
    const backup = server.backups[0]!;
    backup.is_locked = true;
    const question = command(e2e, owner, 'backups', 'delete', [sid(), str('backup', backup.uuid)]);
    const { embed } = await answerConfirmation(e2e, question, owner, 'yes');
    assert.equal(
      embed.description,
      'AtomicHost refused the request as invalid (This backup is locked and cannot be deleted.).',
    );
    assert.equal(server.backups.length, 1);
  });

  test('the backup limit (validation_failed from AtomicHost) reads clearly', async () => {
    const embed = await seen(command(e2e, owner, 'backups', 'create', [str('server', String(tiny.id))]));
    assert.match(
      embed.description!,
      /refused the request as invalid \(This service can have at most 0 backups\.\)/,
    );
  });

  test('a member without the backups permission is told so', async () => {
    const embed = await seen(command(e2e, viewer, 'backups', 'list', [sid()]));
    assert.equal(embed.description, "You don't have the backups permission on this server — ask its owner.");
  });
});
