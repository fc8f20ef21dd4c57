import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a reward code is kept: never in plaintext. A code is normalised (trim,
 * upper case: members type them by hand) and stored as its HMAC-SHA256 under
 * a secret derived from the encryption key, so a copy of the store alone
 * cannot be brute-forced back to short admin-chosen codes. Pure and
 * synchronous, unit-tested.
 */

export const CODE_MIN_LENGTH = 4;
export const CODE_MAX_LENGTH = 32;
const CODE_FORMAT = /^[A-Z0-9_-]+$/;

export const CODE_FORMAT_HELP = `A code is ${CODE_MIN_LENGTH}–${CODE_MAX_LENGTH} letters, digits, \`-\` or \`_\` (not case-sensitive).`;

/** The code as compared (upper case, no surrounding space), or null when it cannot be a code. */
export function normalizeCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  if (code.length < CODE_MIN_LENGTH || code.length > CODE_MAX_LENGTH || !CODE_FORMAT.test(code)) return null;
  return code;
}

/** What `/rewards code list` shows: the first character (two for long codes) and the length. */
export function maskedHint(code: string): string {
  const shown = code.length >= 8 ? 2 : 1;
  return code.slice(0, shown) + '•'.repeat(code.length - shown);
}

/** Keyed hashes of codes: one secret per encryption key, the current one first (older keys still find old codes). */
export class CodeHasher {
  readonly #secrets: readonly Buffer[];

  constructor(secrets: readonly Buffer[]) {
    if (secrets.length === 0) throw new Error('CodeHasher needs at least one secret');
    this.#secrets = secrets;
  }

  /** The hash a new code is stored under (current secret). */
  hash(code: string): string {
    return this.#hashWith(this.#secrets[0]!, code);
  }

  /** The hashes a stored code may have (current secret first): the store is searched for any of them. */
  candidates(code: string): string[] {
    return [...new Set(this.#secrets.map((secret) => this.#hashWith(secret, code)))];
  }

  /**
   * Whether `stored` is one of `candidates`, compared in constant time (the
   * lookup already went by the keyed hash; this guards the final decision).
   */
  matches(stored: string, candidates: readonly string[]): boolean {
    const storedBytes = Buffer.from(stored, 'hex');
    let found = false;
    for (const candidate of candidates) {
      const bytes = Buffer.from(candidate, 'hex');
      if (bytes.length === storedBytes.length && timingSafeEqual(bytes, storedBytes)) found = true;
    }
    return found;
  }

  #hashWith(secret: Buffer, code: string): string {
    return createHmac('sha256', secret).update('hostlink:reward-code:v1:').update(code).digest('hex');
  }
}
