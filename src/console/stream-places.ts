import { AtomicHostError } from '../atomichost/errors.js';
import type { Clock } from '../clock.js';
import type { StreamEntry, StreamRegistry } from '../coordination/index.js';
import type { Logger } from '../logger.js';

/** Every place of the account is taken, here or in other Hostlink processes. */
export class StreamLimitReached extends Error {
  override readonly name = 'StreamLimitReached';
  constructor(readonly held: StreamEntry[]) {
    super('every console stream of the account is open');
  }
}

/**
 * The console manager's side of the stream registry: one place per session,
 * taken before the stream opens and freed once when it ends. Without a
 * registry (one process) nothing is counted here and AtomicHost refuses
 * the 4th stream itself.
 */
export class StreamPlaces {
  readonly #taken = new Set<string>();

  constructor(
    private readonly registry: StreamRegistry | undefined,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Throws StreamLimitReached at the limit, CoordinationUnavailableError when it cannot count. */
  async take(session: { id: string; userId: string; serverId: string }): Promise<void> {
    if (!this.registry) return;
    const entry = { id: session.id, serverId: session.serverId, openedAt: this.clock.wallNow() };
    const claim = await this.registry.claim(session.userId, entry);
    if (!claim.ok) throw new StreamLimitReached(claim.held);
    this.#taken.add(session.id);
  }

  /** Frees the session's place (once; a lost release expires with its entry). */
  free(session: { id: string; userId: string }): void {
    if (!this.registry || !this.#taken.delete(session.id)) return;
    this.registry
      .release(session.userId, session.id)
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error },
          'Could not free a console stream place in Redis; it expires on its own',
        ),
      );
  }

  /** Shutdown: the places are freed as the sessions close; nothing refreshes them any more. */
  close(): void {
    this.registry?.close();
  }
}

/** AtomicHost's refusal of a 4th stream, or the count across processes reaching it first. */
export function isStreamLimit(error: unknown): error is AtomicHostError | StreamLimitReached {
  return (
    error instanceof StreamLimitReached ||
    (error instanceof AtomicHostError && error.code === 'too_many_streams')
  );
}
