import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROLES, startE2E, waitForAnswer, type E2E } from '../helpers/e2e.js';
import type { FakeService } from '../fakes/atomichost/index.js';
import {
  answerConfirmation,
  attach,
  command,
  ephemeral,
  seen,
  str,
  userWithKey,
} from '../helpers/user-side.js';

/** Issue 8 (hardening), items 4, 5, 6, 9 and 13: what a hostile or broken upstream can and cannot do. */

const PLANTED = 'Planted-Rcon-Secret-4f9c2b7e';
const BIG_FILE_BYTES = 17 * 1024 * 1024;

/** A loopback HTTP server standing in for a metadata service: counts what reaches it. */
async function listener(): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"AccessKeyId":"metadata-credential"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

describe('issue 8: hostile upstream answers, leaks and uncertain writes', () => {
  let e2e: E2E;
  let owner: string;
  let server: FakeService;
  const sid = () => str('server', String(server.id));

  before(async () => {
    // Nothing here tests a timeout, and the fake needs a while to send a 16 MiB body on a loaded machine.
    e2e = await startE2E({ env: { HTTP_TIMEOUT_MS: '30000' } });
    const o = await userWithKey(e2e, 'hardened');
    owner = o.userId;
    server = e2e.atomichost.addService({
      name: 'Hardened',
      ownerId: o.account.id,
      files: {
        '/server.properties': `motd=hello\nrcon.password=${PLANTED}\n`,
        '/logs/huge.log': 'x'.repeat(BIG_FILE_BYTES),
      },
    });
  });
  after(async () => {
    await e2e.close();
  });

  const since = () => {
    const start = e2e.atomichost.requests.length;
    return () => e2e.atomichost.requests.slice(start);
  };

  test('issue8 item 4: /files read of a file over 16 MiB says it is too large to show and points to download', async () => {
    const interaction = command(e2e, owner, 'files', 'read', [sid(), str('path', '/logs/huge.log')]);
    const embed = await seen(interaction, 15_000);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.description, 'This file is too large to show — use `/files download` to get it.');
  });

  test('issue8 item 4: any other answer over 1 MiB is a clear message, not a parse of the whole body', async () => {
    const huge = JSON.stringify({
      success: true,
      data: [{ id: 1, name: 'n'.repeat(2 * 1024 * 1024), status: 'active', service: 'x', role: 'owner' }],
    });
    e2e.atomichost.faults.add({
      fault: { kind: 'status', status: 200, body: huge },
      path: '/servers',
      method: 'GET',
      times: 1,
    });
    const embed = await seen(command(e2e, owner, 'server', 'list'));
    assert.equal(embed.description, 'AtomicHost sent an answer too large to show (over 1 MiB).');
  });

  test('issue8 item 6: a reply Discord refuses is logged by method, route, status and code — never its body', async () => {
    e2e.discord.faults.add({
      fault: {
        kind: 'status',
        status: 400,
        body: JSON.stringify({ code: 50035, message: 'Invalid Form Body', errors: {} }),
      },
      method: 'PATCH',
      path: /\/webhooks\/\d+\/[^/]+\/messages\/@original$/,
      times: 1,
    });
    const interaction = command(e2e, owner, 'files', 'read', [sid(), str('path', '/server.properties')]);
    const embed = await seen(interaction);
    assert.equal(embed.title, 'Unexpected error', 'the refused reply was replaced by the error reply');
    const line = await e2e.bot.waitForLog((l) => l.msg === 'Unhandled error in interaction');
    const leaking = e2e.bot
      .stdout()
      .split('\n')
      .filter((l) => l.includes(PLANTED));
    assert.deepEqual(leaking, [], 'the file contents reached no log line');
    assert.deepEqual(line.err, {
      type: 'DiscordAPIError[50035]',
      method: 'PATCH',
      route: `/api/v10/webhooks/${e2e.discord.applicationId}/[redacted]/messages/%40original`,
      status: 400,
      code: 50035,
    });
  });

  test('issue8 item 9: an upload URL outside the allowed hosts is refused before any byte leaves', async () => {
    const metadata = await listener();
    try {
      for (const url of [
        `${metadata.origin}/latest/meta-data/`, // loopback, another port than the trusted origin
        'https://169.254.169.254/latest/meta-data/', // link-local cloud metadata
        'https://evil.example/upload', // a foreign host
      ]) {
        e2e.atomichost.faults.add({
          fault: { kind: 'status', status: 200, body: JSON.stringify({ success: true, data: { url } }) },
          path: '/files/upload-url',
          times: 1,
        });
        const upload = e2e.discord.addUpload('plugin.jar', Buffer.alloc(1000, 7));
        const interaction = command(e2e, owner, 'files', 'upload', [sid(), attach('file', upload.id)]);
        const embed = await seen(interaction);
        assert.equal(embed.title, 'Upload refused', url);
        assert.match(embed.description!, /host Hostlink doesn't send files to, so nothing was uploaded/);
        const fetched = e2e.discord.requests.some((r) => r.path.includes(upload.id));
        assert.equal(fetched, false, 'the attachment was not even downloaded');
      }
      assert.deepEqual(metadata.hits, [], 'nothing reached the loopback listener');
    } finally {
      metadata.server.close();
    }
  });

  test('issue8 item 9: a refused upload never shows the foreign error body', async () => {
    e2e.atomichost.faults.add({
      fault: {
        kind: 'status',
        status: 403,
        body: JSON.stringify({
          success: false,
          error: { code: 'x', message: 'node-internal 10.0.0.7 token=abc' },
        }),
      },
      method: 'POST',
      path: '/transfer/upload/',
      times: 1,
    });
    const upload = e2e.discord.addUpload('a.txt', 'hello');
    const embed = await seen(command(e2e, owner, 'files', 'upload', [sid(), attach('file', upload.id)]));
    assert.equal(embed.title, 'Upload failed');
    assert.equal(
      embed.description,
      'Your server refused the upload with HTTP 403. The one-time link may have expired — try again.',
    );
  });

  const uncertainWrites: Array<[string, string, Array<ReturnType<typeof str>>, string, RegExp]> = [
    [
      'server',
      'power',
      [str('signal', 'restart')],
      '/power',
      /outcome unknown — check the server's status before retrying/,
    ],
    [
      'backups',
      'create',
      [str('name', 'nightly')],
      '/backups',
      /outcome unknown — check `\/backups list` before retrying/,
    ],
    [
      'console',
      'send',
      [str('command', 'say hi')],
      '/console/command',
      /outcome unknown — check the console before retrying/,
    ],
  ];
  for (const [name, sub, options, path, expected] of uncertainWrites) {
    test(`issue8 item 13: /${name} ${sub} whose connection resets after sending says the outcome is unknown`, async () => {
      e2e.atomichost.faults.add({
        fault: { kind: 'reset' },
        method: 'POST',
        path: `/servers/${server.id}${path}`,
        times: 1,
      });
      const calls = since();
      const interaction = command(e2e, owner, name, sub, [sid(), ...options]);
      // A restart asks first: the write goes out on Confirm.
      const embed =
        sub === 'power'
          ? (await answerConfirmation(e2e, interaction, owner, 'yes')).embed
          : await seen(interaction);
      assert.equal(embed.title, 'Outcome unknown');
      assert.match(
        embed.description!,
        /broke after the request was sent, so it may or may not have been applied/,
      );
      assert.match(embed.description!, expected);
      const writes = calls().filter((r) => r.method === 'POST' && r.path === `/servers/${server.id}${path}`);
      assert.equal(writes.length, 1, 'received once and never repeated automatically');
    });
  }

  test('issue8 item 13: a write answered by a bare gateway 5xx is an unknown outcome too', async () => {
    e2e.atomichost.faults.add({
      fault: { kind: 'status', status: 504, body: '<html>Gateway Timeout</html>', contentType: 'text/html' },
      method: 'POST',
      path: `/servers/${server.id}/console/command`,
      times: 1,
    });
    const embed = await seen(command(e2e, owner, 'console', 'send', [sid(), str('command', 'save-all')]));
    assert.equal(embed.title, 'Outcome unknown');
    assert.equal(
      embed.description,
      'AtomicHost answered HTTP 504 without saying whether it was done, so it may or may not have been applied: ' +
        'outcome unknown — check the console before retrying.',
    );
  });

  // Last: on the old code the hostile page blocked the bot long enough to fail whatever came next.
  test('issue8 item 5: a hostile 160 KB error page is cut before any pattern runs; another moderator is answered in time', async () => {
    const panelStatus = () =>
      e2e.discord.chatInput({ name: 'panel', subcommand: 'status', roles: [ROLES.moderator] });
    const hostileSent = new Promise<void>((resolve) =>
      e2e.heliactyl.faults.add({
        fault: { kind: 'status', status: 500, body: '<'.repeat(160 * 1024), contentType: 'text/html' },
        path: /^\/api$/,
        times: 1,
        onApplied: resolve,
      }),
    );
    const hostile = panelStatus();
    await hostileSent;
    // Dispatched while the bot reads the hostile page: Discord's 3 s deadline (the fake enforces it) must hold.
    const other = panelStatus();
    const answer = await waitForAnswer(other);
    assert.equal(answer.title, 'Dashboard is online');
    const embed = await waitForAnswer(hostile);
    assert.equal(embed.title, 'Dashboard error');
    assert.ok(String(embed.description).length < 600, 'the page is shown cut short');
  });
});
