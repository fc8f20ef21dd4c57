/**
 * Work that follows an acknowledgement (the store writes and the final
 * reply of a `/claim`) waits here for a quiet moment: it runs one piece per
 * turn of the event loop, and only once no interaction has arrived for
 * QUIET_MS. In a rush, new interactions are then acknowledged first with
 * the whole process to themselves, and the follow-up work drains in the
 * gaps and after the rush (Discord drops an interaction not acknowledged
 * within 3 s; a deferred reply may be edited for 15 minutes).
 */
const waiting: Array<{ release: () => void; since: number }> = [];
let scheduled = false;
let lastArrival = Number.NEGATIVE_INFINITY;

/** No interaction for this long: the follow-up work may take the process. */
const QUIET_MS = 10;
/** Follow-up work waiting this long runs anyway (one per turn), so a lasting rush cannot starve it. */
const MAX_WAIT_MS = 2_000;

/** Called for every arriving interaction: its acknowledgement goes before waiting follow-up work. */
export function interactionArrived(): void {
  lastArrival = performance.now();
}

function releaseOne(): void {
  scheduled = false;
  const first = waiting[0];
  if (!first) return;
  const now = performance.now();
  const quietFor = now - lastArrival;
  if (quietFor < QUIET_MS && now - first.since < MAX_WAIT_MS) {
    scheduled = true;
    setTimeout(releaseOne, QUIET_MS - quietFor);
    return;
  }
  waiting.shift();
  first.release();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // setImmediate runs after the poll phase, where arriving gateway events are handled.
  setImmediate(releaseOne);
}

/** Resolves on a later, quiet event-loop turn, in arrival order, one caller per turn. */
export function afterAck(): Promise<void> {
  return new Promise((release) => {
    waiting.push({ release, since: performance.now() });
    schedule();
  });
}
