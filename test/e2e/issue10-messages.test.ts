import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, ROLES, type E2E } from '../helpers/e2e.js';
import type { FakeAccount, FakeService } from '../fakes/atomichost/index.js';
import type { FakeInteraction } from '../fakes/discord/index.js';
import {
  CREDITS_FOOTER,
  answerConfirmation,
  command,
  ephemeral,
  seen,
  str,
  userWithKey,
  type Embed,
} from '../helpers/user-side.js';

/** The messages a newcomer found wrong (issue 10, items 7–10), as the user sees them. */
describe('issue10: messages that were wrong, names where known, /help', () => {
  let e2e: E2E;
  let owner: string;
  let account: FakeAccount;
  let server: FakeService;
  let stopped: FakeService;
  const sid = () => str('server', String(server.id));

  before(async () => {
    e2e = await startE2E();
    const o = await userWithKey(e2e, 'owner');
    owner = o.userId;
    account = o.account;
    server = e2e.atomichost.addService({
      name: 'Survival World',
      ownerId: account.id,
      files: {
        '/hello.txt': 'hello',
        '/plugins/a.jar': 'a',
        '/plugins/b.jar': 'b',
        '/plugins/config/c.yml': 'c: 1',
      },
    });
    stopped = e2e.atomichost.addService({ name: 'Creative', ownerId: account.id, state: 'offline' });
    // As a user does: the server option's suggestions load the caller's server list (and its names).
    const suggestions = e2e.discord.autocomplete({
      name: 'files',
      subcommand: 'list',
      focused: 'server',
      options: [str('server', 'Surv')],
      userId: owner,
    });
    await suggestions.waitForCallback();
  });
  after(async () => {
    await e2e.close();
  });

  const since = () => {
    const start = e2e.atomichost.requests.length;
    return () => e2e.atomichost.requests.slice(start).map((r) => `${r.method} ${r.path}`);
  };
  const label = () => `**Survival World** (#${server.id})`;

  // --- item 7 -------------------------------------------------------------------

  test("issue10 item 7: /files list server:999 shows AtomicHost's own error, not a guess from the URL", async () => {
    const embed = await seen(command(e2e, owner, 'files', 'list', [str('server', '999')]));
    assert.equal(embed.title, 'AtomicHost error');
    assert.equal(embed.description, 'AtomicHost says: Service not found.');
  });

  test('issue10 item 7: /backups info on a server that doesn\'t exist says so too (not "that backup")', async () => {
    const embed = await seen(
      command(e2e, owner, 'backups', 'info', [str('server', '999'), str('backup', 'f3a1b2c3')]),
    );
    assert.equal(embed.description, 'AtomicHost says: Service not found.');
    const missingBackup = await seen(
      command(e2e, owner, 'backups', 'info', [sid(), str('backup', '00000000-0000-0000-0000-000000000000')]),
    );
    assert.equal(missingBackup.description, 'AtomicHost says: Backup not found.');
  });

  // --- item 8 -------------------------------------------------------------------

  test('issue10 item 8: /files delete of a 5-byte file looks it up first and says "a file of 5 B"', async () => {
    const calls = since();
    const question = command(e2e, owner, 'files', 'delete', [sid(), str('path', '/hello.txt')]);
    const asked = await seen(question);
    assert.ok(ephemeral(question), 'asked privately');
    assert.equal(asked.title, 'Delete hello.txt?');
    assert.equal(asked.description, `This permanently deletes \`/hello.txt\` on ${label()} — a file of 5 B.`);
    assert.deepEqual(calls(), [`GET /servers/${server.id}/files`], 'one files call before asking');
    assert.deepEqual(e2e.atomichost.requests.at(-1)!.query, { path: '/' });
    const { embed } = await answerConfirmation(e2e, question, owner);
    assert.equal(embed.title, 'Deleted');
    assert.equal(embed.description, `\`/hello.txt\` was deleted from ${label()}.`);
    assert.match(embed.footer!.text, CREDITS_FOOTER);
  });

  test('issue10 item 8: /files delete of a folder says how many items it holds', async () => {
    const question = command(e2e, owner, 'files', 'delete', [sid(), str('path', 'plugins')]);
    const asked = await seen(question);
    assert.equal(
      asked.description,
      `This permanently deletes \`/plugins\` on ${label()} — a folder with 3 items, deleted with everything in it.`,
    );
    const { embed } = await answerConfirmation(e2e, question, owner, 'no');
    assert.equal(embed.footer?.text, 'Cancelled — nothing was changed.');
    assert.ok(server.files.isDir('/plugins'), 'still there');
  });

  test('issue10 item 8: /files delete of a missing path answers "not found" and asks nothing', async () => {
    const calls = since();
    const interaction = command(e2e, owner, 'files', 'delete', [sid(), str('path', '/nope.txt')]);
    const embed = await seen(interaction);
    assert.equal(embed.title, 'Not found');
    assert.equal(embed.description, `\`/nope.txt\` was not found on ${label()}: nothing to delete.`);
    const buttons = JSON.stringify(interaction.original?.components ?? []);
    assert.ok(!buttons.includes('files-delete'), 'no Confirm / Cancel buttons');
    assert.deepEqual(calls(), [`GET /servers/${server.id}/files`], 'no delete was sent');
  });

  // --- item 9 -------------------------------------------------------------------

  test('issue10 item 9: /server list shows the power state next to the billing status', async () => {
    const embed = await seen(command(e2e, owner, 'server', 'list'));
    const lines = embed.description!.split('\n');
    assert.match(
      lines[0]!,
      new RegExp(`^\\*\\*Survival World\\*\\* · \`#${server.id}\` · 🟢 running · active · owner · `),
    );
    assert.match(
      lines[1]!,
      new RegExp(`^\\*\\*Creative\\*\\* · \`#${stopped.id}\` · 🔴 offline · active · `),
    );
    assert.match(embed.footer!.text, CREDITS_FOOTER);
  });

  test('issue10 item 9: /server list looks up at most 10 power states and says so; a failed lookup reads "state unknown"', async () => {
    const collector = await userWithKey(e2e, 'collector');
    const boxes = Array.from({ length: 12 }, (_, i) =>
      e2e.atomichost.addService({ name: `Box ${String(i).padStart(2, '0')}`, ownerId: collector.account.id }),
    );
    boxes[1]!.backendDown = true;
    const calls = since();
    const embed = await seen(command(e2e, collector.userId, 'server', 'list'));
    const lines = embed.description!.split('\n');
    assert.equal(lines.length, 12);
    assert.match(lines[0]!, / · 🟢 running · active · owner/);
    assert.match(lines[1]!, / · ⚪ state unknown · active · owner/);
    assert.match(lines[11]!, new RegExp(`^\\*\\*Box 11\\*\\* · \`#${boxes[11]!.id}\` · active · owner`));
    assert.equal(calls().filter((c) => c.endsWith('/status')).length, 10);
    assert.match(
      embed.footer!.text,
      /^Power state shown for the first 10 \(1 credit each\) · [\d,]+ of [\d,]+ credits left today/,
    );
  });

  test('issue10 item 9: /server status shows disk "of X" like memory', async () => {
    const embed = await seen(command(e2e, owner, 'server', 'status', [sid()]));
    const fields = Object.fromEntries(embed.fields!.map((f) => [f.name, f.value]));
    assert.equal(fields.Memory, '1.00 GiB of 2.00 GiB');
    assert.equal(fields.Disk, '5.00 GiB of 10.0 GiB');
  });

  test('issue10 item 9: /apikey status shows the credits once', async () => {
    const embed = await seen(command(e2e, owner, 'apikey', 'status'));
    const texts = [
      embed.description ?? '',
      embed.footer?.text ?? '',
      ...(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`),
    ];
    assert.equal(texts.filter((t) => /credits|left today/i.test(t)).length, 1, texts.join('\n'));
    assert.match(embed.fields!.find((f) => f.name === 'Credits')!.value, /^[\d,]+ of 2,500 left today/);
  });

  test('issue10 item 9: backups replies name the server instead of #id', async () => {
    const list = await seen(command(e2e, owner, 'backups', 'list', [sid()]));
    assert.equal(list.title, 'Backups of Survival World');
    const created = await seen(command(e2e, owner, 'backups', 'create', [sid(), str('name', 'nightly')]));
    assert.equal(created.title, 'Backup started');
    const uuid = server.backups[0]!.uuid;
    const question = command(e2e, owner, 'backups', 'delete', [sid(), str('backup', uuid)]);
    const asked = await seen(question);
    assert.equal(
      asked.description,
      `This permanently deletes backup \`${uuid}\` of ${label()}. It can't be restored afterwards.`,
    );
    const { embed } = await answerConfirmation(e2e, question, owner);
    assert.equal(embed.description, `Backup \`${uuid}\` was deleted from ${label()}.`);
  });

  // --- item 10 ------------------------------------------------------------------

  function help(roles: string[], userId = owner): FakeInteraction {
    return e2e.discord.chatInput({ name: 'help', roles, userId });
  }
  const fieldNames = (embed: Embed) => (embed.fields ?? []).map((f) => f.name);

  test('issue10 item 10: /help for a member lists the user commands only, and where to set the key', async () => {
    const interaction = help([ROLES.member]);
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.title, 'Hostlink help');
    assert.deepEqual(fieldNames(embed), [
      '/apikey',
      '/backups',
      '/claim',
      '/console',
      '/files',
      '/help',
      '/redeem',
      '/rewards',
      '/server',
    ]);
    assert.match(embed.description!, /\*\*Account Settings → API Access\*\*, then run `\/apikey set`/);
    assert.match(embed.description!, /You have a key stored/);
    assert.doesNotMatch(JSON.stringify(embed), /\/ban|\/coins|Heliactyl/);
    const files = embed.fields!.find((f) => f.name === '/files')!.value;
    assert.match(files, /^`\/files list` — List a folder$/m);
  });

  test('issue10 item 10: /help for a moderator adds the moderator commands, not the admin ones', async () => {
    const embed = await seen(help([ROLES.moderator]));
    assert.deepEqual(fieldNames(embed).slice(9), ['/ban', '/coins', '/panel', '/unban', '/user']);
    const coins = embed.fields!.find((f) => f.name === '/coins')!.value;
    assert.equal(coins, "`/coins balance` — Show a user's coin balance");
    assert.match(embed.description!, /Heliactyl dashboard/);
  });

  test('issue10 item 10: /help for an admin marks the admin-only commands', async () => {
    const embed = await seen(help([ROLES.admin], '199999999999999999'));
    assert.deepEqual(fieldNames(embed).slice(9), [
      '/ban',
      '/coins',
      '/panel',
      '/plan',
      '/renewal',
      '/resources',
      '/unban',
      '/user',
    ]);
    assert.match(embed.fields!.find((f) => f.name === '/coins')!.value, /`\/coins add` — .+ \*\(admin\)\*/);
    assert.match(embed.description!, /You have not added a key yet\./);
  });
});
