/**
 * Work that follows an acknowledgement (the store writes and the final
 * reply of a `/claim`, the grant worker's next payment) waits here for a
 * quiet moment: it runs one piece per turn of the event loop, and only once
 * no interaction has arrived for QUIET_MS. In a rush, new interactions are
 * then acknowledged first with the whole process to themselves, and the
 * follow-up work drains in the gaps and after the rush (Discord drops an
 * interaction not acknowledged within 3 s; a deferred reply may be edited
 * for 15 minutes).
 */
export class AfterAckLane {
  readonly #waiting: Array<{ release: () => void; since: number }> = [];
  #scheduled = false;
  #lastArrival = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: {
      /** Milliseconds on a monotonic clock (tests pass one they control). */
      now: () => number;
      /** No interaction for this long: the follow-up work may take the process. */
      quietMs: number;
      /** Follow-up work waiting this long runs anyway (one per turn), so a lasting rush cannot starve it. */
      maxWaitMs: number;
    },
  ) {}

  /** Called for every arriving interaction: its acknowledgement goes before waiting follow-up work. */
  interactionArrived(): void {
    this.#lastArrival = this.options.now();
  }

  /** Milliseconds since the last interaction arrived (infinite before the first). */
  quietForMs(): number {
    return this.options.now() - this.#lastArrival;
  }

  /** Resolves on a later, quiet event-loop turn, in arrival order, one caller per turn. */
  afterAck(): Promise<void> {
    return new Promise((release) => {
      this.#waiting.push({ release, since: this.options.now() });
      this.#schedule();
    });
  }

  #releaseOne(): void {
    this.#scheduled = false;
    const first = this.#waiting[0];
    if (!first) return;
    const now = this.options.now();
    const quietFor = now - this.#lastArrival;
    if (quietFor < this.options.quietMs && now - first.since < this.options.maxWaitMs) {
      this.#scheduled = true;
      setTimeout(() => this.#releaseOne(), this.options.quietMs - quietFor);
      return;
    }
    this.#waiting.shift();
    first.release();
    if (this.#waiting.length > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate runs after the poll phase, where arriving gateway events are handled.
    setImmediate(() => this.#releaseOne());
  }
}

/**
 * The process's lane. 50 ms: in a rush of clicks (about one a millisecond)
 * the follow-up work waits for its end; at ordinary rates it runs in the
 * gaps. Not 10 ms: a burst of clicks has gaps that long, and one store write
 * run in such a gap can hold the event loop for 20 ms or more while the file
 * system commits its journal (seen in bench/rewards-claim on a 2-core
 * machine: single inserts of 20–27 ms), delaying every acknowledgement
 * behind it.
 */
const lane = new AfterAckLane({ now: () => performance.now(), quietMs: 50, maxWaitMs: 2_000 });

export const interactionArrived = (): void => lane.interactionArrived();
export const afterAck = (): Promise<void> => lane.afterAck();
export const quietForMs = (): number => lane.quietForMs();
