import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { encryptionKey, type EncryptionKey } from './crypto.js';

/** Name of the generated key inside the data folder. */
export const KEY_FILE_NAME = 'encryption.key';

/**
 * The data folder: the folder of the SQLite file of `STORE_URL`
 * (`sqlite://data/hostlink.sqlite` → `data`), else `./data`.
 */
export function dataFolderFor(storeUrl: string, cwd = process.cwd()): string {
  const match = /^sqlite:\/\/(.+)$/.exec(storeUrl);
  const file = match?.[1];
  if (!file || file === ':memory:') return resolve(cwd, 'data');
  return dirname(resolve(cwd, file));
}

function decodeKey(text: string, path: string): Buffer {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, '')) {
    throw new Error(
      `${path} does not hold a 32-byte base64 key: restore it from a backup, or set ENCRYPTION_KEY (stored user keys sealed with it cannot be opened otherwise)`,
    );
  }
  return bytes;
}

/** Reads the key file if it exists (fixing its mode to 0600 if it was looser). */
export async function readKeyFile(
  folder: string,
): Promise<{ key: EncryptionKey; path: string; modeFixed: boolean } | undefined> {
  const path = join(folder, KEY_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let modeFixed = false;
  const mode = (await stat(path)).mode & 0o777;
  if (mode !== 0o600) {
    await chmod(path, 0o600);
    modeFixed = true;
  }
  return { key: encryptionKey(decodeKey(text, path)), path, modeFixed };
}

/**
 * The key in `<folder>/encryption.key`, generated once (32 random bytes,
 * base64, mode 0600, never overwritten) when the file does not exist.
 */
export async function loadOrCreateKeyFile(
  folder: string,
): Promise<{ key: EncryptionKey; path: string; created: boolean; modeFixed: boolean }> {
  const existing = await readKeyFile(folder);
  if (existing) return { ...existing, created: false };
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, KEY_FILE_NAME);
  const bytes = randomBytes(32);
  try {
    await writeFile(path, `${bytes.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readKeyFile(folder);
      if (raced) return { ...raced, created: false };
    }
    throw error;
  }
  await chmod(path, 0o600); // the umask may have narrowed nothing, but never widened: make it exact
  return { key: encryptionKey(bytes), path, created: true, modeFixed: false };
}
