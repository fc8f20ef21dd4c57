/**
 * Redis could not be asked (down, unreachable, too slow). Whatever needed it
 * was not done: callers never treat this as "allowed" (no stream opened, no
 * request sent, no grant drained).
 */
export class CoordinationUnavailableError extends Error {
  override readonly name = 'CoordinationUnavailableError';
  constructor(options?: { cause?: unknown }) {
    super('Redis (coordination between Hostlink processes) is unavailable', options);
  }
}

/** Runs one Redis call; any failure becomes CoordinationUnavailableError (the cause kept for the log). */
export async function coordinated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CoordinationUnavailableError) throw error;
    throw new CoordinationUnavailableError({ cause: error });
  }
}
