import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { scheduleClaimsMigration, watchMigration } from './watch-migration.js';

/**
 * Every schema change, in order. Run at start by `openStore`; the same
 * statements serve SQLite and Postgres (Kysely's migrator takes a lock so
 * two processes starting together apply each migration once).
 */
const migrations: Record<string, Migration> = {
  '2026-11-30-001-grants': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('grants')
        .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
        .addColumn('key', 'varchar(300)', (col) => col.notNull().unique())
        .addColumn('user_id', 'varchar(64)', (col) => col.notNull())
        .addColumn('coins', 'bigint', (col) => col.notNull())
        .addColumn('source', 'varchar(32)', (col) => col.notNull())
        .addColumn('cause', 'text', (col) => col.notNull())
        .addColumn('reason', 'text')
        .addColumn('fingerprint', 'varchar(64)')
        .addColumn('state', 'varchar(16)', (col) => col.notNull())
        .addColumn('balance_after', 'bigint')
        .addColumn('repaired', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('detail', 'text')
        .addColumn('claimed_by', 'varchar(64)')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('sending_since', 'bigint')
        .addColumn('not_before', 'bigint', (col) => col.notNull().defaultTo(0))
        .addCheckConstraint(
          'grants_state_check',
          sql`state in ('queued', 'sending', 'granted', 'failed', 'unknown')`,
        )
        .addCheckConstraint('grants_coins_check', sql`coins > 0`)
        .execute();
      await db.schema.createIndex('grants_state_idx').on('grants').columns(['state', 'created_at']).execute();
      await db.schema
        .createIndex('grants_user_idx')
        .on('grants')
        .columns(['user_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('reward_settings')
        .addColumn('name', 'varchar(64)', (col) => col.primaryKey())
        .addColumn('value', 'text', (col) => col.notNull())
        .execute();
    },
  },
  '2026-11-30-002-claims': {
    async up(db: Kysely<unknown>) {
      // One row per role reward rule (`/rewards role set`); the role id is unique across guilds.
      await db.schema
        .createTable('role_rewards')
        .addColumn('role_id', 'varchar(32)', (col) => col.primaryKey())
        .addColumn('guild_id', 'varchar(32)', (col) => col.notNull())
        .addColumn('coins', 'bigint', (col) => col.notNull())
        .addColumn('every_ms', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addCheckConstraint('role_rewards_coins_check', sql`coins > 0`)
        .addCheckConstraint('role_rewards_every_check', sql`every_ms > 0`)
        .execute();
      await db.schema.createIndex('role_rewards_guild_idx').on('role_rewards').column('guild_id').execute();
      // The last claim of each reward (`daily`, `role:<id>`) per user: the row a claim must win.
      await db.schema
        .createTable('reward_claims')
        .addColumn('user_id', 'varchar(32)', (col) => col.notNull())
        .addColumn('reward', 'varchar(64)', (col) => col.notNull())
        .addColumn('last_claim_at', 'bigint', (col) => col.notNull())
        .addColumn('streak', 'integer', (col) => col.notNull())
        .addColumn('last_key', 'varchar(300)', (col) => col.notNull())
        .addColumn('last_coins', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('reward_claims_pk', ['user_id', 'reward'])
        .execute();
    },
  },
  '2026-11-30-003-codes': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reward_codes')
        .addColumn('id', 'varchar(32)', (col) => col.primaryKey())
        // HMAC-SHA256 of the normalised code under a secret derived from the encryption key (hex).
        .addColumn('code_hash', 'varchar(64)', (col) => col.notNull().unique())
        .addColumn('hint', 'varchar(80)', (col) => col.notNull())
        .addColumn('coins', 'bigint', (col) => col.notNull())
        .addColumn('uses_total', 'integer', (col) => col.notNull())
        .addColumn('uses_count', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addCheckConstraint('reward_codes_coins_check', sql`coins > 0`)
        // The use limit holds in the store itself, whatever a process does.
        .addCheckConstraint('reward_codes_uses_check', sql`uses_count >= 0 and uses_count <= uses_total`)
        .execute();
    },
  },
  '2026-11-30-004-watch': watchMigration,
  '2026-11-30-005-schedule-claims': scheduleClaimsMigration,
  '2026-12-01-006-bulk-batches': {
    async up(db: Kysely<unknown>) {
      // A confirmed /coins grant, kept until its one audit is posted (a restart resumes it).
      await db.schema
        .createTable('bulk_batches')
        .addColumn('batch_id', 'varchar(36)', (col) => col.primaryKey())
        .addColumn('invoker_id', 'varchar(64)', (col) => col.notNull())
        .addColumn('invoker_name', 'varchar(100)', (col) => col.notNull())
        .addColumn('user_ids', 'text', (col) => col.notNull())
        .addColumn('coins', 'bigint', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('audited_at', 'bigint')
        .execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
