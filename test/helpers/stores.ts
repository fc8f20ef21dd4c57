import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The engines the store suite runs on: SQLite always, Postgres when
 * TEST_POSTGRES_URL names a server where the role may create databases
 * (`.ci/run` starts one). Each `create()` makes a fresh store and returns
 * its STORE_URL and a cleanup that drops it.
 */
export interface StoreEngine {
  name: 'sqlite' | 'postgres';
  /** Why this engine is skipped, or undefined when it runs. */
  skip: string | undefined;
  create(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

// Tests read the environment only through this helper (the bot itself reads it only in src/config.ts).
const postgresUrl = process.env.TEST_POSTGRES_URL?.trim() || undefined;

export const sqliteEngine: StoreEngine = {
  name: 'sqlite',
  skip: undefined,
  async create() {
    const folder = await mkdtemp(join(tmpdir(), 'hostlink-store-'));
    return {
      url: `sqlite://${join(folder, 'hostlink.sqlite')}`,
      cleanup: () => rm(folder, { recursive: true, force: true }),
    };
  },
};

export const postgresEngine: StoreEngine = {
  name: 'postgres',
  skip: postgresUrl
    ? undefined
    : 'TEST_POSTGRES_URL is not set: the Postgres half of the store suite is skipped (see README, "Postgres tests")',
  async create() {
    if (!postgresUrl) throw new Error('TEST_POSTGRES_URL is not set');
    const name = `hostlink_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async cleanup() {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  },
};

export const storeEngines: readonly StoreEngine[] = [sqliteEngine, postgresEngine];
