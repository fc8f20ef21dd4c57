import { hkdfSync } from 'node:crypto';
import type Keyv from 'keyv';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { VaultError } from './errors.js';
import { encryptionKey, open, seal, VaultCryptoError, type EncryptionKey } from './crypto.js';
import { dataFolderFor, loadOrCreateKeyFile, readKeyFile } from './key-file.js';
import { createKeyv, openStoreAdapter } from './store.js';

export const VAULT_NAMESPACE = 'apikeys';

/**
 * Each Discord user's AtomicHost API key, sealed (src/vault/crypto.ts) in a
 * Keyv namespace. Records sealed with an older key (ENCRYPTION_KEY_PREVIOUS,
 * or the generated key file after ENCRYPTION_KEY was set) are re-sealed with
 * the current key when read. Plaintext keys exist only in memory, for the
 * length of one command.
 */
export class KeyVault {
  readonly #keyv: Keyv<string>;
  readonly #current: EncryptionKey;
  readonly #all: readonly EncryptionKey[];
  readonly #logger: Logger;
  /**
   * The tail of each user's queue of store operations. A record read with an
   * old key is re-sealed inside the same turn, so no `set` or `delete` of
   * that user can land between the read and the re-seal: the re-seal never
   * brings back a key that was replaced or removed meanwhile.
   */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(
    keyv: Keyv<string>,
    keys: { current: EncryptionKey; previous: EncryptionKey[] },
    logger: Logger,
  ) {
    this.#keyv = keyv;
    this.#current = keys.current;
    const seen = new Set([keys.current.id]);
    this.#all = [keys.current, ...keys.previous.filter((k) => !seen.has(k.id) && seen.add(k.id))];
    this.#logger = logger;
  }

  /** Runs `operation` after every earlier operation on this user's record has finished. */
  #serialized<T>(discordUserId: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(discordUserId) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const tail = result.catch(() => undefined);
    this.#queues.set(discordUserId, tail);
    void tail.then(() => {
      if (this.#queues.get(discordUserId) === tail) this.#queues.delete(discordUserId);
    });
    return result;
  }

  async #store<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.#logger.error({ err: error, op: what }, 'Key store failed');
      throw new VaultError('unavailable');
    }
  }

  /**
   * The user's key, or undefined when none is stored. A record that cannot
   * be opened (tampered, copied from another user, sealed with a key that is
   * no longer configured) is reported as a VaultError and left in place.
   */
  async get(discordUserId: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      void this.#serialized(discordUserId, async () => {
        let opened;
        try {
          opened = await this.#read(discordUserId);
        } catch (error) {
          reject(error);
          return;
        }
        // The caller has its key now; the re-seal still holds the user's queue, so a
        // set or delete that arrived meanwhile runs after it and wins.
        resolve(opened?.plaintext);
        if (opened && opened.keyId !== this.#current.id) await this.#reseal(discordUserId, opened);
      });
    });
  }

  async #read(discordUserId: string): Promise<{ plaintext: string; keyId: string } | undefined> {
    const raw = await this.#store('get', () => this.#keyv.get(discordUserId));
    if (raw === undefined || raw === null) return undefined;
    let opened;
    try {
      opened = open(raw, discordUserId, this.#all);
    } catch (error) {
      if (!(error instanceof VaultCryptoError)) throw error;
      this.#logger.warn({ reason: error.reason, discordUserId }, 'Stored API key could not be opened');
      throw new VaultError('unreadable');
    }
    return opened;
  }

  /** Seals the key read a moment ago with the current key; the caller already has its answer. */
  async #reseal(discordUserId: string, opened: { plaintext: string; keyId: string }): Promise<void> {
    try {
      await this.#keyv.set(discordUserId, seal(opened.plaintext, discordUserId, this.#current));
      this.#logger.info(
        { discordUserId, from: opened.keyId, to: this.#current.id },
        'Re-encrypted a stored API key with the current encryption key',
      );
    } catch (error) {
      this.#logger.warn({ err: error }, 'Could not re-encrypt a stored API key (kept the old record)');
    }
  }

  async has(discordUserId: string): Promise<boolean> {
    return this.#serialized(discordUserId, () => this.#store('has', () => this.#keyv.has(discordUserId)));
  }

  async set(discordUserId: string, apiKey: string): Promise<void> {
    const record = seal(apiKey, discordUserId, this.#current);
    await this.#serialized(discordUserId, () =>
      this.#store('set', () => this.#keyv.set(discordUserId, record)),
    );
  }

  /** True when a key was stored. */
  async delete(discordUserId: string): Promise<boolean> {
    return this.#serialized(discordUserId, () =>
      this.#store('delete', () => this.#keyv.delete(discordUserId)),
    );
  }

  /**
   * Secrets derived from the encryption keys (HKDF-SHA256, one per key, the
   * current key's first) for other data that must not be stored in a form a
   * copy of the store alone can reverse, such as reward codes. Labels keep
   * each use separate from the keys' job of sealing API keys.
   */
  derivedSecrets(label: string): Buffer[] {
    return this.#all.map((key) => deriveSecret(key.bytes, label));
  }

  /** Resolves when every queued operation (re-seals included) has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.#queues.values()]);
  }

  /** Closes the store once queued operations (re-seals included) have finished. */
  async close(): Promise<void> {
    await this.settled();
    await this.#keyv.disconnect().catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'Closing the key store failed');
    });
  }
}

/** A 32-byte secret for `label`, derived from one encryption key (HKDF-SHA256). */
export function deriveSecret(keyBytes: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', keyBytes, Buffer.alloc(0), `hostlink:${label}`, 32));
}

function fromBase64(value: string): EncryptionKey {
  return encryptionKey(Buffer.from(value, 'base64'));
}

/**
 * Builds the vault from the configuration: the encryption keys (ENCRYPTION_KEY,
 * else the generated key file, with a warning at every start), the Keyv store
 * of STORE_URL, and an error listener on it.
 */
export async function createVault(config: Config, logger: Logger, cwd = process.cwd()): Promise<KeyVault> {
  const folder = dataFolderFor(config.STORE_URL, cwd);
  // The store first: a STORE_URL that cannot be opened must not leave a new key file behind.
  const store = await openStoreAdapter(config.STORE_URL, cwd);
  const previous = config.ENCRYPTION_KEY_PREVIOUS.map(fromBase64);
  let current: EncryptionKey;
  if (config.ENCRYPTION_KEY) {
    current = fromBase64(config.ENCRYPTION_KEY);
    // Records sealed while the bot ran on a generated key stay readable (and get re-sealed).
    const file = await readKeyFile(folder);
    if (file) previous.push(file.key);
  } else {
    const file = await loadOrCreateKeyFile(folder);
    current = file.key;
    logger.warn(
      { keyFile: file.path, created: file.created },
      `ENCRYPTION_KEY is not set: stored API keys are encrypted with the key in ${file.path}` +
        (file.created ? ' (generated now)' : '') +
        '. Back that file up, or set ENCRYPTION_KEY (openssl rand -base64 32) and keep the file until old keys were re-encrypted.',
    );
    if (file.modeFixed)
      logger.warn({ keyFile: file.path }, 'The key file was readable by others: set its mode to 0600');
  }
  const keyv = createKeyv<string>(store, VAULT_NAMESPACE);
  keyv.on('error', (error: unknown) => logger.error({ err: error }, 'Key store error'));
  return new KeyVault(keyv, { current, previous }, logger);
}
