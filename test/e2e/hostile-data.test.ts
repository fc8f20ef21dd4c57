import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { startE2E, type E2E } from '../helpers/e2e.js';
import {
  answer,
  answerTitled,
  field,
  invoke,
  nextAudit,
  opt,
  press,
  question,
} from '../helpers/moderation.js';
import { bool, command, newUserId, seen, setKey, str, userWithKey } from '../helpers/user-side.js';
import { markdownOf, renderedMaskedLinks } from '../helpers/markdown.js';

/** A name a hostile upstream (or a moderator's paste) would use to make a link look like something else. */
const NITRO = '[Free Nitro](https://evil.example)';
const MEMBER = '410000000000000077';

/** The visible text survives; the link does not render. */
function assertNoMaskedLink(markdown: string, where: string): void {
  assert.deepEqual(renderedMaskedLinks(markdown), [], `${where}: no clickable masked link`);
  assert.match(markdown, /Free Nitro/, `${where}: the name is still shown`);
}

describe('hostile data: masked links, oversized values, a locked key store', () => {
  let e2e: E2E;
  let audit: string;
  let owner: { userId: string; serviceId: number };

  before(async () => {
    e2e = await startE2E({ env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId }) });
    audit = e2e.discord.channelId;
    const o = await userWithKey(e2e, 'nitro-owner');
    const service = e2e.atomichost.addService({
      name: NITRO,
      ownerId: o.account.id,
      package: { name: NITRO },
    });
    owner = { userId: o.userId, serviceId: service.id };
    e2e.heliactyl.addUser({
      id: MEMBER,
      coins: 10,
      servers: [{ name: NITRO, description: `Visit ${NITRO} now` }],
      interactions: [
        { timestamp: '2026-01-01T00:00:00.000Z', action: `${MEMBER} renamed a server to ${NITRO}` },
      ],
    });
    e2e.heliactyl.packages.set(NITRO, { ram: 1024, disk: 1024, cpu: 100, servers: 1 });
  });
  after(async () => {
    await e2e.close();
  });

  test('issue8 item 8: /server list public:true shows an upstream server name without a clickable link', async () => {
    const embed = await seen(command(e2e, owner.userId, 'server', 'list', [bool('public', true)]));
    assert.equal(embed.title, 'Your servers');
    assertNoMaskedLink(markdownOf(embed), '/server list');
  });

  test('issue8 item 8: /user servers (plain and detailed) and /user activity show no masked link', async () => {
    const servers = await answer(invoke(e2e, { path: 'user servers', options: [opt.user(MEMBER)] }));
    assertNoMaskedLink(markdownOf(servers), '/user servers');
    const detailed = await answer(
      invoke(e2e, { path: 'user servers', options: [opt.user(MEMBER), opt.bool('detailed', true)] }),
    );
    assertNoMaskedLink(markdownOf(detailed), '/user servers detailed');
    const activity = await answer(invoke(e2e, { path: 'user activity', options: [opt.user(MEMBER)] }));
    assertNoMaskedLink(markdownOf(activity), '/user activity');
  });

  test('issue8 item 8: a ban reason and a package typed by a moderator show no masked link in the reply or the audit post', async () => {
    const asked = invoke(e2e, { path: 'ban', options: [opt.user(MEMBER), opt.str('reason', NITRO)] });
    assertNoMaskedLink(markdownOf(await question(asked)), '/ban question');
    const banned = await answerTitled(press(e2e, asked, 'Ban'), /^Banned/);
    assertNoMaskedLink(markdownOf(banned), '/ban reply');
    const banAudit = await nextAudit(e2e, audit, 1);
    assert.equal(banAudit.title, 'Moderator action: /ban');
    assertNoMaskedLink(field(banAudit, 'Values'), 'ban audit');

    const plan = invoke(e2e, { path: 'plan set', options: [opt.user(MEMBER), opt.str('package', NITRO)] });
    assertNoMaskedLink(markdownOf(await answer(plan)), '/plan set reply');
    const planAudit = await nextAudit(e2e, audit, 2);
    assert.equal(planAudit.title, 'Moderator action: /plan set');
    assertNoMaskedLink(field(planAudit, 'Values'), 'plan audit');
  });

  test('issue8 item 8: an upstream error message is shown without a masked link', async () => {
    e2e.atomichost.faults.add({
      path: `/servers/${owner.serviceId}/status`,
      fault: {
        kind: 'status',
        status: 409,
        body: JSON.stringify({ success: false, error: { code: 'conflict', message: `Claim ${NITRO}` } }),
      },
      times: 1,
    });
    const embed = await seen(
      command(e2e, owner.userId, 'server', 'status', [str('server', String(owner.serviceId))]),
    );
    assert.equal(embed.title, 'AtomicHost error');
    assertNoMaskedLink(markdownOf(embed), 'error reply');
  });

  test('issue8 item 16: a 2,000-character backup uuid is cut to fit its field, not an "Unexpected error"', async () => {
    const uuid = 'u'.repeat(2000);
    e2e.atomichost.faults.add({
      method: 'GET',
      path: `/servers/${owner.serviceId}/backups/nightly`,
      fault: {
        kind: 'status',
        status: 200,
        body: JSON.stringify({
          success: true,
          data: {
            uuid,
            name: 'nightly',
            ignored_files: [],
            bytes: 1024,
            is_successful: true,
            is_locked: false,
          },
        }),
      },
      times: 1,
    });
    const embed = await seen(
      command(e2e, owner.userId, 'backups', 'info', [
        str('server', String(owner.serviceId)),
        str('backup', 'nightly'),
      ]),
    );
    assert.equal(embed.title, 'Backup nightly');
    const id = field(embed, 'ID');
    assert.ok(id.length <= 1024, `ID field is ${id.length} characters`);
    assert.match(id, /^`u{50,}…`$/);
  });

  test('issue8 item 16: a 2,000-character due_date and 200 permissions are cut to fit their fields', async () => {
    const dueDate = `never${'9'.repeat(1995)}`;
    e2e.atomichost.faults.add({
      method: 'GET',
      path: new RegExp(`^/servers/${owner.serviceId}$`),
      fault: {
        kind: 'status',
        status: 200,
        body: JSON.stringify({
          success: true,
          data: {
            id: owner.serviceId,
            name: 'Long due date',
            status: 'active',
            service: 'pterodactyl',
            role: 'owner',
            created_at: null,
            due_date: dueDate,
            // Each shown whole; together far over a field: only the embed fitter cuts them.
            permissions: Array.from({ length: 200 }, (_, i) => `permission.${i}.${'p'.repeat(24)}`),
          },
        }),
      },
      times: 1,
    });
    const embed = await seen(
      command(e2e, owner.userId, 'server', 'info', [str('server', String(owner.serviceId))]),
    );
    assert.equal(embed.title, 'Long due date');
    const due = field(embed, 'Due');
    assert.ok(due.length <= 1024, `Due field is ${due.length} characters`);
    assert.match(due, /^never9+…$/);
    const permissions = field(embed, 'Your permissions');
    assert.ok(permissions.length <= 1024, `permissions field is ${permissions.length} characters`);
    assert.match(permissions, /^permission\.0\.p+, permission\.1\.p+, .*…$/);
  });

  test('issue8 item 10: another process holding a write transaction on the SQLite file does not stop user commands', async () => {
    const lock = await holdWriteTransaction(join(e2e.bot.cwd, 'data/hostlink.sqlite'));
    try {
      // Reads (the key lookup of every command) go on while the file is locked for writing.
      const list = command(e2e, owner.userId, 'server', 'list');
      const embed = await seen(list);
      assert.equal(embed.title, 'Your servers');
      const asked = await seen(
        command(e2e, owner.userId, 'server', 'power', [
          str('server', String(owner.serviceId)),
          str('signal', 'stop'),
        ]),
      );
      assert.match(asked.title ?? '', /^Stop /);
      // A write can't happen until the lock is gone: a clear "try again", not silence.
      const account = e2e.atomichost.addAccount({ username: 'while-locked' });
      const { embed: refused } = await setKey(e2e, newUserId(), account.key);
      assert.equal(refused.title, 'Key store unavailable');
      assert.match(refused.description ?? '', /Try again in a moment/);
    } finally {
      await lock.release();
    }
    const { embed: saved } = await setKey(
      e2e,
      newUserId(),
      e2e.atomichost.addAccount({ username: 'after' }).key,
    );
    assert.equal(saved.title, 'API key saved', 'works again once the lock is released');
  });
});

/** Opens its own connection to the bot's SQLite file and holds an exclusive write transaction until released. */
async function holdWriteTransaction(file: string): Promise<{ release(): Promise<void> }> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
  });
  const run = (query: string) =>
    new Promise<void>((resolve, reject) => db.run(query, (error) => (error ? reject(error) : resolve())));
  db.configure('busyTimeout', 5_000);
  await run('BEGIN EXCLUSIVE');
  await run("INSERT OR REPLACE INTO keyv (key, value) VALUES ('lock-holder', 'x')");
  return {
    async release() {
      await run('ROLLBACK');
      await new Promise<void>((resolve) => db.close(() => resolve()));
    },
  };
}
