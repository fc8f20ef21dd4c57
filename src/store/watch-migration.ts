import type { Kysely, Migration } from 'kysely';

/**
 * The watch tables in the shared store. The release before kept panels,
 * pollers, schedules and reminders in the SQLite file of STORE_URL under a
 * history of their own (`watch_migration`): on such a file the tables exist
 * already, with exactly these columns, so every statement here is
 * IF NOT EXISTS and the rows stay as they are; the old history tables are
 * dropped, as nothing reads them any more. Types are the common subset of
 * SQLite and Postgres: text ids (snowflakes overflow JavaScript numbers),
 * bigint epoch milliseconds, integer flags.
 */
export const watchMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('watch_panels')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('server_id', 'text', (c) => c.notNull())
      .addColumn('server_name', 'text', (c) => c.notNull())
      .addColumn('guild_id', 'text')
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('interval_ms', 'bigint', (c) => c.notNull())
      .addColumn('alert_role_id', 'text')
      // What the message shows now, so a restart does not edit an unchanged panel.
      .addColumn('rendered', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('watch_panels_server')
      .ifNotExists()
      .on('watch_panels')
      .columns(['server_id', 'owner_id'])
      .execute();
    await db.schema
      .createTable('watch_pollers')
      .ifNotExists()
      .addColumn('server_key', 'text', (c) => c.primaryKey())
      .addColumn('last_state', 'text')
      .addColumn('stable_state', 'text')
      .addColumn('state_since', 'bigint')
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unreachable_alerted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('due_date', 'text')
      .addColumn('due_checked_at', 'bigint')
      .execute();
    // New in this release: who polls each server, across processes.
    await db.schema
      .createTable('watch_leases')
      .ifNotExists()
      .addColumn('server_key', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('next_check_at', 'bigint')
      .execute();
    await db.schema
      .createTable('schedule_actions')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('server_id', 'text', (c) => c.notNull())
      .addColumn('server_name', 'text', (c) => c.notNull())
      .addColumn('signal', 'text', (c) => c.notNull())
      .addColumn('run_at', 'bigint', (c) => c.notNull())
      .addColumn('warn', 'integer', (c) => c.notNull())
      .addColumn('channel_id', 'text')
      // pending → sending → done; a row left in `sending` after a crash is never sent again.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('schedule_actions_owner')
      .ifNotExists()
      .on('schedule_actions')
      .column('owner_id')
      .execute();
    await db.schema
      .createTable('reminder_optins')
      .ifNotExists()
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('server_id', 'text', (c) => c.notNull())
      .addColumn('server_name', 'text', (c) => c.notNull())
      .addColumn('before_ms', 'bigint', (c) => c.notNull())
      .addColumn('due_date', 'text')
      .addColumn('sent_for_due', 'text')
      .addPrimaryKeyConstraint('reminder_optins_pk', ['owner_id', 'server_id'])
      .execute();
    await db.schema
      .createTable('reminder_accounts')
      .ifNotExists()
      .addColumn('owner_id', 'text', (c) => c.primaryKey())
      .addColumn('checked_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.dropTable('watch_migration').ifExists().execute();
    await db.schema.dropTable('watch_migration_lock').ifExists().execute();
  },
};

/**
 * Schedules shared by several processes: each console warning and each
 * start of a send is claimed in the row before it happens (one ALTER per
 * column: SQLite takes one at a time).
 */
export const scheduleClaimsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // The smallest warning offset (ms before run_at) claimed so far; null before the first.
    await db.schema.alterTable('schedule_actions').addColumn('warned_ms', 'bigint').execute();
    // Wall ms when `sending` began, so a restart settles only sends that cannot still be in flight.
    await db.schema.alterTable('schedule_actions').addColumn('sending_since', 'bigint').execute();
  },
};
