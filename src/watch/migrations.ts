import type { Kysely, Migration } from 'kysely';

/**
 * Schema of panels, schedules and reminders, as Kysely migrations so the
 * shared store can run them at start beside its own. Types are the common
 * subset of SQLite and Postgres: text ids (Discord snowflakes overflow
 * JavaScript numbers), bigint epoch milliseconds, integer flags.
 */
export const watchMigrations: Record<string, Migration> = {
  '2026_11_30_001_watch_panels': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('watch_panels')
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
        .on('watch_panels')
        .columns(['server_id', 'owner_id'])
        .execute();
      await db.schema
        .createTable('watch_pollers')
        .addColumn('server_key', 'text', (c) => c.primaryKey())
        .addColumn('last_state', 'text')
        .addColumn('stable_state', 'text')
        .addColumn('state_since', 'bigint')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('unreachable_alerted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('due_date', 'text')
        .addColumn('due_checked_at', 'bigint')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('watch_pollers').execute();
      await db.schema.dropTable('watch_panels').execute();
    },
  },
  '2026_11_30_002_schedule_actions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('schedule_actions')
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
        .on('schedule_actions')
        .column('owner_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('schedule_actions').execute();
    },
  },
  '2026_11_30_003_reminders': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reminder_optins')
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
        .addColumn('owner_id', 'text', (c) => c.primaryKey())
        .addColumn('checked_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('reminder_accounts').execute();
      await db.schema.dropTable('reminder_optins').execute();
    },
  },
};
