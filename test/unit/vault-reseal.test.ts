import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { KeyvStoreAdapter } from 'keyv';
import { createLogger } from '../../src/logger.js';
import { KeyVault, VAULT_NAMESPACE, encryptionKey, openStoreAdapter } from '../../src/vault/index.js';
import { createKeyv } from '../../src/vault/store.js';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const USER = '400000000000000011';
const OLD_API_KEY = `ah_${'o'.repeat(52)}`;
const NEW_API_KEY = `ah_${'n'.repeat(52)}`;

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_chunk, _enc, done) => done() }),
});

/**
 * A real SQLite store, seen through a wrapper that (1) passes operations on
 * to SQLite one at a time in the order they arrive, so what lands last is
 * what the vault sent last, and (2) can hold the next read of the user's
 * record after SQLite answered it — the moment a re-seal race opens.
 */
function observedStore(inner: KeyvStoreAdapter) {
  let chain: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(run: () => Promise<T>): Promise<T> => {
    const next = chain.then(run, run);
    chain = next.catch(() => undefined);
    return next;
  };
  let held: { reached: () => void; release: Promise<void> } | undefined;
  let writeArrived: (() => void) | undefined;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'get') {
        return async (key: string) => {
          const answer: unknown = await inOrder(() => target.get(key));
          const hold = held;
          held = undefined;
          if (hold) {
            hold.reached();
            await hold.release;
          }
          return answer;
        };
      }
      if (property === 'set' || property === 'delete') {
        return (...args: unknown[]) => {
          writeArrived?.();
          return inOrder(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    store,
    /**
     * Holds the next read after SQLite answered it; resolves once held. `release()`
     * lets it go as soon as a write reaches the store or, if none does, once
     * everything already queued has run (the vault makes writes wait).
     */
    async holdNextRead(): Promise<{ release(): Promise<void> }> {
      let reached!: () => void;
      const isReached = new Promise<void>((resolve) => (reached = resolve));
      let letGo!: () => void;
      held = { reached, release: new Promise<void>((resolve) => (letGo = resolve)) };
      await isReached;
      return {
        async release() {
          const wrote = new Promise<void>((resolve) => (writeArrived = resolve));
          await Promise.race([wrote, new Promise<void>((resolve) => setImmediate(resolve))]);
          writeArrived = undefined;
          letGo();
        },
      };
    },
  };
}

/** A record sealed with an old encryption key, and a vault that now runs on a new one. */
async function rotatedVault() {
  const cwd = mkdtempSync(join(tmpdir(), 'hostlink-reseal-'));
  folders.push(cwd);
  const url = 'sqlite://data/hostlink.sqlite';
  const oldKey = encryptionKey(randomBytes(32));
  const newKey = encryptionKey(randomBytes(32));
  const before = new KeyVault(
    createKeyv(await openStoreAdapter(url, cwd), VAULT_NAMESPACE),
    {
      current: oldKey,
      previous: [],
    },
    silent,
  );
  await before.set(USER, OLD_API_KEY);
  await before.close();
  const observed = observedStore(await openStoreAdapter(url, cwd));
  const vault = new KeyVault(
    createKeyv<string>(observed.store, VAULT_NAMESPACE),
    { current: newKey, previous: [oldKey] },
    silent,
  );
  return { vault, observed };
}

test('issue8 item 11: a read with an old key during /apikey set does not restore the old key', async () => {
  const { vault, observed } = await rotatedVault();
  const holding = observed.holdNextRead();
  const read = vault.get(USER); // a command reads the record sealed with the old encryption key
  const hold = await holding;
  const replaced = vault.set(USER, NEW_API_KEY); // meanwhile the user stores a new key
  await hold.release();
  assert.equal(await read, OLD_API_KEY, 'the read still answers with what it read');
  await replaced;
  assert.equal(await vault.get(USER), NEW_API_KEY, 'the new key survives the re-seal');
  await vault.close();
});

test('issue8 item 11: a read with an old key during /apikey remove does not resurrect the key', async () => {
  const { vault, observed } = await rotatedVault();
  const holding = observed.holdNextRead();
  const read = vault.get(USER);
  const hold = await holding;
  const removed = vault.delete(USER);
  await hold.release();
  assert.equal(await read, OLD_API_KEY);
  assert.equal(await removed, true);
  assert.equal(await vault.get(USER), undefined, 'the removed key stays removed');
  assert.equal(await vault.has(USER), false);
  await vault.close();
});
