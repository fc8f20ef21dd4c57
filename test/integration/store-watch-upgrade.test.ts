import { describe, test, type TestContext } from 'node:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { REST } from 'discord.js';
import { sql } from 'kysely';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/database.js';
import { importPreviousWatchFile } from '../../src/watch/previous-release.js';
import { buildReleaseFile } from '../fixtures/watch-release-migrations.js';
import { runFor, startWatchRig, type WatchProcess } from '../helpers/watch-rig.js';
import { postgresEngine, sqliteEngine, type StoreEngine } from '../helpers/stores.js';

const MIN = 60_000;
const DAY = 86_400_000;
const ROLE = '500000000000000001';

/** A SQLite store file as the previous release left it: watch tables under their own `watch_migration` history. */
const releaseFile: StoreEngine = {
  name: 'sqlite',
  skip: undefined,
  async create() {
    const made = await sqliteEngine.create();
    await buildReleaseFile(made.url.slice('sqlite://'.length));
    return made;
  },
};

/** A rig with what the previous release stored: a posted panel, its poller's memory (running), a schedule, a reminder. */
async function previousRelease(t: TestContext, engine: StoreEngine) {
  const rig = await startWatchRig(t, { engine });
  const { account, userId } = await rig.owner('steve');
  const service = rig.atomichost.addService({ name: 'Survival', ownerId: account.id, state: 'offline' });
  service.dueDate = new Date(rig.clock.wallNow() + 2 * DAY);
  const channel = rig.discord.addTextChannel('status');
  const rest = new REST({ api: rig.discord.apiUrl }).setToken(rig.discord.botToken);
  const posted = (await rest.post(`/channels/${channel.id}/messages`, {
    body: { embeds: [{ title: 'Survival', description: '🟢 **running**' }] },
  })) as { id: string };
  const now = rig.clock.wallNow();
  /** Writes the rows into a SQLite file made by the previous release. */
  const writeRows = (path: string) => {
    const file = new Database(path);
    file
      .prepare(
        `insert into watch_panels (id, owner_id, server_id, server_name, guild_id, channel_id, message_id,
           interval_ms, alert_role_id, rendered, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        randomUUID(),
        userId,
        String(service.id),
        'Survival',
        rig.discord.guildId,
        channel.id,
        posted.id,
        5 * MIN,
        ROLE,
        '{}',
        now - DAY,
      );
    file
      .prepare(
        `insert into watch_pollers (server_key, last_state, stable_state, state_since, failures,
           unreachable_alerted, due_date, due_checked_at) values (?, 'running', 'running', ?, 0, 0, null, ?)`,
      )
      .run(String(service.id), now - DAY, now);
    file
      .prepare(
        `insert into schedule_actions (id, owner_id, server_id, server_name, signal, run_at, warn, channel_id,
           status, created_at) values (?, ?, ?, 'Survival', 'start', ?, 0, ?, 'pending', ?)`,
      )
      .run(randomUUID(), userId, String(service.id), now + 10 * MIN, channel.id, now - DAY);
    file
      .prepare(
        `insert into reminder_optins (owner_id, server_id, server_name, before_ms, due_date, sent_for_due)
           values (?, ?, 'Survival', ?, null, null)`,
      )
      .run(userId, String(service.id), 3 * DAY);
    file.close();
  };

  /** The new code on that store: the same message, memory, schedule and reminder carry on. */
  const carriesOn = async (proc: WatchProcess) => {
    await proc.settled();
    assert.equal(rig.discord.dms(userId).length, 1, 'the stored reminder was read and sent');

    await runFor(rig.clock, proc, 5 * MIN, MIN);
    const panels = rig.discord.channelMessages(channel.id).filter((m) => m.embeds.length > 0);
    assert.deepEqual(
      panels.map((m) => m.id),
      [posted.id],
      'the stored message is the panel still',
    );
    const edits = rig.discord.channelEdits.filter((e) => e.messageId === posted.id);
    assert.ok(edits.length >= 1, 'and it is edited');
    assert.match(
      (rig.discord.message(posted.id)?.embeds[0] as { description?: string }).description ?? '',
      /offline/,
    );
    const alerts = rig.discord
      .channelMessages(channel.id)
      .filter((m) => m.content?.startsWith('<@&'))
      .map((m) => m.content);
    assert.deepEqual(
      alerts,
      [`<@&${ROLE}> 🔴 **Survival** is offline (was running).`],
      'judged against the stored memory',
    );
    assert.deepEqual(service.powerHistory, [], 'the stored schedule waits for its time');
    await runFor(rig.clock, proc, 5 * MIN, MIN);
    assert.deepEqual(service.powerHistory, ['start'], 'the stored schedule ran at its time');

    // And again after a restart on the upgraded store.
    await proc.stop();
    const again = await rig.startProcess();
    service.state = 'running';
    await runFor(rig.clock, again, 5 * MIN, MIN);
    assert.match(
      (rig.discord.message(posted.id)?.embeds[0] as { description?: string }).description ?? '',
      /running/,
    );
    assert.equal(rig.discord.channelMessages(channel.id).filter((m) => m.embeds.length > 0).length, 1);
  };
  return { rig, writeRows, carriesOn };
}

test("a store file from the previous release: its panel, the poller's memory, schedules and reminders carry on", async (t) => {
  const { rig, writeRows, carriesOn } = await previousRelease(t, releaseFile);
  writeRows(rig.storeUrl.slice('sqlite://'.length));
  const proc = await rig.startProcess();
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
    proc.store.db,
  );
  const names = tables.rows.map((r) => r.name);
  assert.ok(names.includes('watch_leases'), 'the new lease table is there');
  assert.ok(!names.includes('watch_migration'), 'the old history is gone');
  await carriesOn(proc);
});

describe('a Postgres deployment of the previous release', { skip: postgresEngine.skip }, () => {
  test('its local watch file moves into the store once, and everything in it carries on', async (t) => {
    const { rig, writeRows, carriesOn } = await previousRelease(t, postgresEngine);
    const cwd = mkdtempSync(join(tmpdir(), 'hostlink-release-'));
    t.after(() => rmSync(cwd, { recursive: true, force: true }));
    mkdirSync(join(cwd, 'data'));
    const local = join(cwd, 'data', 'hostlink.sqlite');
    await buildReleaseFile(local);
    writeRows(local);

    const logger = createLogger({ level: 'silent' });
    const store = await openStore(rig.storeUrl);
    await importPreviousWatchFile(store, rig.storeUrl, logger, cwd);
    assert.ok(!existsSync(local) && existsSync(`${local}.imported`), 'the file is set aside');
    await importPreviousWatchFile(store, rig.storeUrl, logger, cwd);
    const panels = await store.db.selectFrom('watch_panels').select('id').execute();
    assert.equal(panels.length, 1, 'moved once');
    await store.close();

    await carriesOn(await rig.startProcess());
  });
});
