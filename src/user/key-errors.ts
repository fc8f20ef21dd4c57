import type { AtomicHostError } from '../atomichost/errors.js';

/**
 * AtomicHost says a key is dead for good (401 invalid_key, 403 account_banned).
 * `stored`: it was the user's stored key, which Hostlink deleted; otherwise a
 * key being set, which was not stored. Worded by src/presenter/errors.ts.
 */
export class KeyRefusedError extends Error {
  override readonly name = 'KeyRefusedError';
  constructor(
    readonly code: 'invalid_key' | 'account_banned',
    readonly stored: boolean,
    options?: { cause: AtomicHostError },
  ) {
    super(`AtomicHost refused the ${stored ? 'stored' : 'new'} key: ${code}`, options);
  }
}
