/**
 * Work that follows an acknowledgement (the store writes and the final
 * reply of a `/claim`) waits here for its turn: one piece per turn of the
 * event loop, after the I/O that turn brought in. In a rush, new
 * interactions are then acknowledged first, and the follow-up work drains
 * behind them instead of delaying every ack (Discord drops an interaction
 * not acknowledged within 3 s).
 */
const waiting: Array<() => void> = [];
let scheduled = false;

function releaseOne(): void {
  scheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // setImmediate runs after the poll phase, where arriving gateway events are handled.
  setImmediate(releaseOne);
}

/** Resolves on a later event-loop turn, in arrival order, one caller per turn. */
export function afterAck(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}
