import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { SqliteKeyvStore } from './sqlite-keyv.js';

/** Keyv backends that are not dependencies of Hostlink: installed by the operator when wanted. */
const OPTIONAL_BACKENDS: Record<
  string,
  { pkg: string; create(mod: unknown, url: string): KeyvStoreAdapter }
> = {
  redis: { pkg: '@keyv/redis', create: (mod, url) => construct(mod, url) },
  rediss: { pkg: '@keyv/redis', create: (mod, url) => construct(mod, url) },
  postgres: { pkg: '@keyv/postgres', create: (mod, url) => construct(mod, { uri: url }) },
  postgresql: { pkg: '@keyv/postgres', create: (mod, url) => construct(mod, { uri: url }) },
};

function construct(mod: unknown, arg: unknown): KeyvStoreAdapter {
  const ctor = (mod as { default?: unknown }).default ?? mod;
  return new (ctor as new (arg: unknown) => KeyvStoreAdapter)(arg);
}

/** Thrown at start for a STORE_URL that cannot be served; the message says what to do. */
export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
}

function schemeOf(storeUrl: string): string {
  return /^([a-z]+):\/\//.exec(storeUrl)?.[1] ?? '';
}

/** The optional Keyv package a non-SQLite STORE_URL needs, imported (or a StoreConfigError saying what to install). */
async function importBackend(scheme: string): Promise<unknown> {
  const backend = OPTIONAL_BACKENDS[scheme];
  if (!backend) throw new StoreConfigError(`STORE_URL scheme "${scheme}://" is not supported`);
  try {
    const specifier: string = backend.pkg; // a variable: the package is optional
    return await import(specifier);
  } catch {
    throw new StoreConfigError(
      `STORE_URL is ${scheme}://…, which needs the ${backend.pkg} package. Install it (npm install ${backend.pkg}) or use sqlite://.`,
    );
  }
}

/**
 * Checks, without creating or connecting anything, that STORE_URL can be
 * served: run at start before anything is written to disk.
 */
export async function checkStoreBackend(storeUrl: string): Promise<void> {
  const scheme = schemeOf(storeUrl);
  if (scheme !== 'sqlite') await importBackend(scheme);
}

/**
 * How long an SQLite statement waits for another connection's lock: under
 * 2 s, so a locked file turns into a clear "try again" while the answer can
 * still reach the user, not into Discord's "did not respond".
 */
export const SQLITE_BUSY_TIMEOUT_MS = 1_500;

/**
 * The Keyv store adapter for `STORE_URL`. SQLite (the default) creates the
 * file's folder; redis:// and postgres:// need their Keyv package, which is
 * not installed by default — without it the bot refuses to start and says
 * which package to install.
 */
export async function openStoreAdapter(storeUrl: string, cwd = process.cwd()): Promise<KeyvStoreAdapter> {
  const scheme = schemeOf(storeUrl);
  if (scheme === 'sqlite') {
    const file = storeUrl.slice('sqlite://'.length);
    if (file === ':memory:') return new SqliteKeyvStore(file, SQLITE_BUSY_TIMEOUT_MS);
    const absolute = resolve(cwd, file);
    await mkdir(dirname(absolute), { recursive: true, mode: 0o700 });
    // In WAL mode: reads (every command's key lookup) never wait for a writer.
    return new SqliteKeyvStore(absolute, SQLITE_BUSY_TIMEOUT_MS);
  }
  const mod = await importBackend(scheme);
  return OPTIONAL_BACKENDS[scheme]!.create(mod, storeUrl);
}

export function createKeyv<V>(store: KeyvStoreAdapter, namespace: string): Keyv<V> {
  return new Keyv<V>({ store, namespace, throwOnErrors: true });
}
