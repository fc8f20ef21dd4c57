/**
 * Why the key vault could not answer: `unavailable` (the store failed) or
 * `unreadable` (a record that cannot be opened: damaged, or sealed with a key
 * the bot no longer has). Worded by src/presenter/errors.ts.
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(readonly kind: 'unavailable' | 'unreadable') {
    super(`Key vault: ${kind}`);
  }
}
