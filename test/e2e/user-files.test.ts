import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import type { FakeService } from '../fakes/atomichost/index.js';
import {
  CREDITS_FOOTER,
  answerConfirmation,
  attach,
  command,
  ephemeral,
  seen,
  str,
  userWithKey,
} from '../helpers/user-side.js';

const PROPERTIES = 'motd=A ```sneaky``` server\nmax-players=20\n';
const LONG = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');

describe('/files: every subcommand, local path checks and upstream refusals', () => {
  let e2e: E2E;
  let owner: string;
  let reader: string;
  let server: FakeService;
  let noFiles: FakeService;
  const sid = () => str('server', String(server.id));

  before(async () => {
    e2e = await startE2E();
    const o = await userWithKey(e2e, 'owner');
    owner = o.userId;
    server = e2e.atomichost.addService({
      name: 'Files Server',
      ownerId: o.account.id,
      files: {
        '/server.properties': PROPERTIES,
        '/plugins/Essentials/config.yml': 'a: 1\n',
        '/logs/latest.log': LONG,
        '/world/level.dat': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]),
        '/old.txt': 'old',
      },
    });
    noFiles = e2e.atomichost.addService({
      name: 'No files',
      ownerId: o.account.id,
      features: { files: false },
    });
    const r = await userWithKey(e2e, 'reader');
    reader = r.userId;
    e2e.atomichost.share(server.id, r.account.id, ['console', 'backups']);
  });
  after(async () => {
    await e2e.close();
  });

  const since = () => {
    const start = e2e.atomichost.requests.length;
    return () => e2e.atomichost.requests.slice(start);
  };

  test('list shows folders first, then files with sizes, privately', async () => {
    const calls = since();
    const interaction = command(e2e, owner, 'files', 'list', [sid()]);
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.title, 'Files in /');
    assert.equal(
      embed.description,
      `3 folders, 2 files\n\n📁 logs/\n📁 plugins/\n📁 world/\n📄 old.txt — 3 B\n📄 server.properties — ${Buffer.byteLength(PROPERTIES)} B`,
    );
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    assert.deepEqual(
      calls().map((r) => [r.method, r.path, r.query]),
      [['GET', `/servers/${server.id}/files`, { path: '/' }]],
    );
  });

  test('list normalises the path and says when a folder does not exist', async () => {
    const calls = since();
    const embed = await seen(
      command(e2e, owner, 'files', 'list', [sid(), str('path', '//plugins/./Essentials/')]),
    );
    assert.equal(embed.title, 'Files in /plugins/Essentials');
    assert.deepEqual(calls()[0]!.query, { path: '/plugins/Essentials' });
    const missing = await seen(command(e2e, owner, 'files', 'list', [sid(), str('path', '/nope')]));
    assert.equal(missing.description, 'AtomicHost says: Directory not found.');
  });

  test('`..` and other escapes are refused locally in every subcommand', async () => {
    const calls = since();
    const attempts: Array<[string, Array<ReturnType<typeof str>>]> = [
      ['list', [str('path', '/plugins/../../etc')]],
      ['read', [str('path', '../server.properties')]],
      ['read', [str('path', '/a/%2e%2e/b')]],
      ['write', [str('path', '/x/../../y')]],
      ['delete', [str('path', '/..')]],
      ['download', [str('path', '/world\\..\\x')]],
      ['upload', [str('path', '/a/../..')]],
      ['mkdir', [str('name', '..')]],
      ['mkdir', [str('name', 'a/b')]],
      ['rename', [str('from', 'old.txt'), str('to', '../escaped.txt')]],
      ['read', [str('path', '/')]],
    ];
    for (const [sub, options] of attempts) {
      const interaction = command(e2e, owner, 'files', sub, [sid(), ...options]);
      const embed = await seen(interaction);
      assert.equal(embed.title, 'Invalid path', `${sub} ${JSON.stringify(options)}`);
      assert.ok(ephemeral(interaction), 'answered privately');
    }
    assert.deepEqual(calls(), [], 'no request reached AtomicHost');
  });

  test('read shows text in a code block with the language of the extension; fences cannot break out', async () => {
    const interaction = command(e2e, owner, 'files', 'read', [sid(), str('path', 'server.properties')]);
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.title, '/server.properties');
    assert.equal(
      embed.description,
      '```properties\nmotd=A `\u200b`\u200b`sneaky`\u200b`\u200b` server\nmax-players=20\n```',
    );
    assert.equal((embed.description!.match(/```/g) ?? []).length, 2, 'only the outer fences');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    const yml = await seen(
      command(e2e, owner, 'files', 'read', [sid(), str('path', '/plugins/Essentials/config.yml')]),
    );
    assert.equal(yml.description, '```yaml\na: 1\n```');
  });

  test('read attaches the whole file when it does not fit', async () => {
    const interaction = command(e2e, owner, 'files', 'read', [sid(), str('path', '/logs/latest.log')]);
    const embed = await seen(interaction);
    assert.match(embed.description!, /^```log\nline 0 /);
    assert.match(embed.description!, /the whole file is attached/);
    assert.ok(embed.description!.length <= 4096, 'expected to hold');
    await interaction.waitFor(() => (interaction.original?.attachments.length ?? 0) > 0);
    const [file] = interaction.original!.attachments;
    assert.equal(file!.filename, 'latest.log');
    assert.equal(file!.size, Buffer.byteLength(LONG));
    const bytes = Buffer.from(await (await fetch(file!.url)).arrayBuffer());
    assert.equal(bytes.toString('utf8'), LONG);
  });

  test('read refuses to dump a binary file and points to download', async () => {
    const embed = await seen(command(e2e, owner, 'files', 'read', [sid(), str('path', '/world/level.dat')]));
    assert.match(embed.description!, /binary file.*isn't shown.*`\/files download`/);
    assert.ok(!embed.description!.includes('```'), 'expected to hold');
  });

  test('write without a file opens a form; its content is written', async () => {
    const opened = command(e2e, owner, 'files', 'write', [sid(), str('path', '/notes/todo.txt')]);
    const callback = await opened.waitForCallback();
    assert.equal(callback.type, 9);
    assert.equal(callback.data.title, 'Write todo.txt');
    const calls = since();
    const submitted = e2e.discord.modalSubmit({
      customId: callback.data.custom_id,
      fields: { content: 'buy milk\n' },
      userId: owner,
    });
    const embed = await seen(submitted);
    assert.ok(ephemeral(submitted), 'answered privately');
    assert.equal(embed.title, 'File written');
    assert.equal(embed.description, 'Wrote 9 B to `/notes/todo.txt`.');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    assert.deepEqual(
      calls().map((r) => [r.method, r.path, r.body]),
      [['POST', `/servers/${server.id}/files/write`, { path: '/notes/todo.txt', content: 'buy milk\n' }]],
    );
    assert.equal(server.files.read('/notes/todo.txt'), 'buy milk\n');
  });

  test('a write form cannot be submitted by someone else', async () => {
    const opened = command(e2e, owner, 'files', 'write', [sid(), str('path', '/stolen.txt')]);
    const callback = await opened.waitForCallback();
    const calls = since();
    const submitted = e2e.discord.modalSubmit({
      customId: callback.data.custom_id,
      fields: { content: 'x' },
      userId: reader,
    });
    const embed = await seen(submitted);
    assert.equal(embed.title, 'Form expired');
    assert.deepEqual(calls(), []);
    assert.equal(server.files.isFile('/stolen.txt'), false);
  });

  test('write with an attached text file writes its content', async () => {
    const upload = e2e.discord.addUpload('motd.txt', 'Welcome!\n', 'text/plain');
    const embed = await seen(
      command(e2e, owner, 'files', 'write', [sid(), str('path', '/motd.txt'), attach('file', upload.id)]),
    );
    assert.equal(embed.title, 'File written');
    assert.equal(server.files.read('/motd.txt'), 'Welcome!\n');
  });

  test('write refuses a binary attachment', async () => {
    const calls = since();
    const upload = e2e.discord.addUpload('blob.bin', Buffer.from([0, 1, 2, 3, 0, 0, 7]));
    const embed = await seen(
      command(e2e, owner, 'files', 'write', [sid(), str('path', '/blob.bin'), attach('file', upload.id)]),
    );
    assert.equal(embed.title, 'Not a text file');
    assert.deepEqual(calls(), []);
  });

  test('delete asks first; Cancel keeps the file, Confirm deletes it', async () => {
    const keep = command(e2e, owner, 'files', 'delete', [sid(), str('path', '/old.txt')]);
    const asked = await seen(keep);
    assert.equal(asked.title, 'Delete old.txt?');
    await answerConfirmation(e2e, keep, owner, 'no');
    assert.ok(server.files.isFile('/old.txt'), 'expected to hold');

    const calls = since();
    const question = command(e2e, owner, 'files', 'delete', [sid(), str('path', '/old.txt')]);
    const { embed } = await answerConfirmation(e2e, question, owner, 'yes');
    assert.equal(embed.title, 'Deleted');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    assert.deepEqual(
      calls().map((r) => [r.method, r.path, r.body]),
      [
        ['GET', `/servers/${server.id}/files`, undefined],
        ['POST', `/servers/${server.id}/files/delete`, { root: '/', files: ['old.txt'] }],
      ],
    );
    assert.equal(server.files.isFile('/old.txt'), false);
  });

  test('mkdir and rename', async () => {
    const calls = since();
    const made = await seen(
      command(e2e, owner, 'files', 'mkdir', [sid(), str('name', 'backups'), str('path', '/plugins')]),
    );
    assert.equal(made.title, 'Folder created');
    assert.ok(server.files.isDir('/plugins/backups'), 'expected to hold');
    const renamed = await seen(
      command(e2e, owner, 'files', 'rename', [sid(), str('from', 'motd.txt'), str('to', 'welcome.txt')]),
    );
    assert.equal(renamed.description, '`/motd.txt` is now `/welcome.txt`.');
    assert.ok(server.files.isFile('/welcome.txt'), 'expected to hold');
    assert.deepEqual(
      calls().map((r) => [r.method, r.path, r.body]),
      [
        ['POST', `/servers/${server.id}/files/create-folder`, { root: '/plugins', name: 'backups' }],
        ['PUT', `/servers/${server.id}/files/rename`, { root: '/', from: 'motd.txt', to: 'welcome.txt' }],
      ],
    );
  });

  test('download answers privately with a link button to the one-time URL', async () => {
    const interaction = command(e2e, owner, 'files', 'download', [sid(), str('path', '/world/level.dat')]);
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.title, 'Download level.dat');
    const button = interaction.original!.components[0] as {
      components: Array<{ style: number; url: string }>;
    };
    assert.equal(button.components[0]!.style, 5, 'a link button');
    const url = button.components[0]!.url;
    assert.match(url, /\/transfer\/download\//);
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
    assert.deepEqual(bytes, server.files.files.get('/world/level.dat'));
  });

  test('upload without a file answers with a one-time upload link', async () => {
    const interaction = command(e2e, owner, 'files', 'upload', [sid(), str('path', '/plugins')]);
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.match(embed.description!, /multipart\/form-data.*`files`/);
    const row = interaction.original!.components[0] as { components: Array<{ url: string }> };
    assert.match(row.components[0]!.url, /\/transfer\/upload\//);
  });

  test('upload with an attachment streams it from Discord to the one-time URL', async () => {
    const jar = Buffer.alloc(300_000);
    for (let i = 0; i < jar.length; i++) jar[i] = (i * 7) % 256;
    const upload = e2e.discord.addUpload('plugin.jar', jar);
    const calls = since();
    const embed = await seen(
      command(e2e, owner, 'files', 'upload', [sid(), str('path', '/plugins'), attach('file', upload.id)]),
    );
    assert.equal(embed.title, 'Uploaded');
    assert.equal(embed.description, `\`/plugins/plugin.jar\` (293 KiB) is on server #${server.id}.`);
    assert.deepEqual(server.files.files.get('/plugins/plugin.jar'), jar);
    const sent = calls();
    assert.deepEqual(sent[0]!.query, { path: '/plugins' });
    const transfer = sent.find((r) => r.path.startsWith('/transfer/upload/'))!;
    assert.equal(transfer.method, 'POST');
    assert.match(String(transfer.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.equal(transfer.headers.authorization, undefined, 'the API key never goes to the transfer URL');
    assert.ok(
      e2e.discord.requests.some(
        (r) => r.method === 'GET' && r.path.includes(`/attachments/`) && r.path.includes(upload.id),
      ),
      'fetched from Discord',
    );
  });

  test('upload refuses an attachment over the limit before downloading it', async () => {
    const calls = since();
    const big = e2e.discord.addUpload('huge.zip', Buffer.alloc(8 * 1024 * 1024 + 1));
    const embed = await seen(command(e2e, owner, 'files', 'upload', [sid(), attach('file', big.id)]));
    assert.equal(embed.title, 'File too large');
    assert.match(embed.description!, /up to 8\.00 MiB; this one is 8\.00 MiB/);
    assert.deepEqual(calls(), []);
    const fetched = e2e.discord.requests.some(
      (r) => r.path.includes(`/attachments/`) && r.path.includes(big.id),
    );
    assert.equal(fetched, false, 'not downloaded from Discord');
  });

  test('a member without the files permission is told so', async () => {
    for (const [sub, extra] of [
      ['list', []],
      ['read', [str('path', '/server.properties')]],
      ['download', [str('path', '/server.properties')]],
    ] as const) {
      const embed = await seen(command(e2e, reader, 'files', sub, [sid(), ...extra]));
      assert.equal(
        embed.description,
        "You don't have the files permission on this server — ask its owner.",
        sub,
      );
    }
  });

  test("a package without files, and a server's backend being down", async () => {
    const off = await seen(command(e2e, owner, 'files', 'list', [str('server', String(noFiles.id))]));
    assert.equal(off.description, "This server's package doesn't include files.");
    server.backendDown = true;
    try {
      const down = await seen(command(e2e, owner, 'files', 'list', [sid()]));
      assert.equal(
        down.description,
        "The server's backend is unreachable right now. Try again shortly — the credit was refunded.",
      );
    } finally {
      server.backendDown = false;
    }
  });
});
