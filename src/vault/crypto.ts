import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Sealing of stored API keys, pure and synchronous: AES-256-GCM with a fresh
 * 12-byte random nonce per write, the Discord user id bound as associated
 * data (a record copied to another user fails to open), and the id of the
 * encryption key in each record so older keys can still open old records.
 */

export const RECORD_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** One 32-byte AES key and its short public id. */
export interface EncryptionKey {
  readonly id: string;
  readonly bytes: Buffer;
}

/** What is stored (as JSON): every binary field in base64. */
export interface SealedRecord {
  v: typeof RECORD_VERSION;
  /** Id of the encryption key that sealed it (see keyId). */
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

/** Why a record could not be opened; never carries key material. */
export class VaultCryptoError extends Error {
  override readonly name = 'VaultCryptoError';
  constructor(
    readonly reason: 'malformed' | 'unknown_key' | 'auth_failed',
    message: string,
  ) {
    super(message);
  }
}

/** A short, non-secret id of an encryption key: 8 hex chars of SHA-256 over a label and the key. */
export function keyId(bytes: Buffer): string {
  return createHash('sha256').update('hostlink:kid:').update(bytes).digest('hex').slice(0, 8);
}

export function encryptionKey(bytes: Buffer): EncryptionKey {
  if (bytes.length !== 32) throw new Error('An encryption key must be 32 bytes');
  return { id: keyId(bytes), bytes };
}

/** Binds a record to one Discord user. */
export function associatedData(discordUserId: string): Buffer {
  return Buffer.from(`hostlink:apikey:v1:${discordUserId}`, 'utf8');
}

export function seal(plaintext: string, discordUserId: string, key: EncryptionKey): string {
  const iv = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(discordUserId));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const record: SealedRecord = {
    v: RECORD_VERSION,
    kid: key.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
  return JSON.stringify(record);
}

function parseRecord(raw: unknown): SealedRecord {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new VaultCryptoError('malformed', 'The stored record is not JSON');
    }
  }
  const record = value as Partial<SealedRecord> | null;
  const isB64 = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
  if (
    typeof record !== 'object' ||
    record === null ||
    record.v !== RECORD_VERSION ||
    typeof record.kid !== 'string' ||
    !isB64(record.iv) ||
    !isB64(record.tag) ||
    !isB64(record.ct)
  ) {
    throw new VaultCryptoError('malformed', 'The stored record has an unknown shape');
  }
  return record as SealedRecord;
}

/**
 * Opens a record with whichever of `keys` sealed it. Throws VaultCryptoError
 * when the record is malformed, was sealed with a key not given, was
 * tampered with, or belongs to another user.
 */
export function open(
  raw: unknown,
  discordUserId: string,
  keys: readonly EncryptionKey[],
): { plaintext: string; keyId: string } {
  const record = parseRecord(raw);
  const key = keys.find((k) => k.id === record.kid);
  if (!key) throw new VaultCryptoError('unknown_key', `No configured encryption key has id ${record.kid}`);
  const iv = Buffer.from(record.iv, 'base64');
  const tag = Buffer.from(record.tag, 'base64');
  if (iv.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
    throw new VaultCryptoError('malformed', 'The stored record has a bad nonce or tag length');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(discordUserId));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(record.ct, 'base64')),
      decipher.final(),
    ]).toString('utf8');
    return { plaintext, keyId: key.id };
  } catch {
    throw new VaultCryptoError('auth_failed', 'The stored record failed authentication');
  }
}
