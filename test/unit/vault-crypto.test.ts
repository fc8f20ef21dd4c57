import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encryptionKey, keyId, open, seal, VaultCryptoError } from '../../src/vault/crypto.js';

const KEY = `ah_${'Ab3'.repeat(17)}x`;
const alice = '190000000000000011';
const bob = '190000000000000022';
const current = encryptionKey(randomBytes(32));
const older = encryptionKey(randomBytes(32));

function rejects(fn: () => unknown, reason: VaultCryptoError['reason']): void {
  assert.throws(fn, (error: unknown) => error instanceof VaultCryptoError && error.reason === reason);
}

test('round trip: the key comes back for the same user', () => {
  const record = seal(KEY, alice, current);
  assert.deepEqual(open(record, alice, [current]), { plaintext: KEY, keyId: current.id });
});

test('the record holds no plaintext, names its key, and uses a fresh 12-byte nonce per write', () => {
  const a = seal(KEY, alice, current);
  const b = seal(KEY, alice, current);
  assert.ok(!a.includes(KEY) && !a.includes(KEY.slice(3)), 'no plaintext in the record');
  const ra = JSON.parse(a) as { v: number; kid: string; iv: string; tag: string; ct: string };
  const rb = JSON.parse(b) as typeof ra;
  assert.equal(ra.v, 1);
  assert.equal(ra.kid, current.id);
  assert.equal(Buffer.from(ra.iv, 'base64').length, 12);
  assert.equal(Buffer.from(ra.tag, 'base64').length, 16);
  assert.notEqual(ra.iv, rb.iv);
  assert.notEqual(ra.ct, rb.ct);
});

test('tampering with the ciphertext, nonce or tag fails authentication', () => {
  const record = JSON.parse(seal(KEY, alice, current)) as Record<string, string>;
  for (const field of ['ct', 'iv', 'tag']) {
    const bytes = Buffer.from(record[field]!, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    rejects(
      () => open(JSON.stringify({ ...record, [field]: bytes.toString('base64') }), alice, [current]),
      'auth_failed',
    );
  }
});

test("a record copied to another user's slot does not open (the user id is bound as associated data)", () => {
  rejects(() => open(seal(KEY, alice, current), bob, [current]), 'auth_failed');
});

test('rotation: an older key still opens its records and says which key it was', () => {
  const old = seal(KEY, alice, older);
  assert.deepEqual(open(old, alice, [current, older]), { plaintext: KEY, keyId: older.id });
  rejects(() => open(old, alice, [current]), 'unknown_key');
});

test('malformed records are refused, not crashed on', () => {
  for (const raw of [
    'not json',
    '{}',
    JSON.stringify({ v: 2 }),
    42,
    null,
    JSON.stringify({ v: 1, kid: current.id, iv: '%%', tag: '', ct: '' }),
  ]) {
    rejects(() => open(raw, alice, [current]), 'malformed');
  }
});

test('key ids are short, stable and differ between keys; a key must be 32 bytes', () => {
  assert.match(current.id, /^[0-9a-f]{8}$/);
  assert.equal(keyId(current.bytes), current.id);
  assert.notEqual(current.id, older.id);
  assert.throws(() => encryptionKey(randomBytes(16)));
});
