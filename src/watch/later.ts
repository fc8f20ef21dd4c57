import type { Clock } from '../clock.js';

/** Node timers overflow past ~24.8 days: long waits are taken a day at a time. */
const MAX_TIMER_MS = 86_400_000;

/** Runs `callback` at wall time `at` (at once if past); returns a cancel function. */
export function atWallTime(clock: Clock, at: number, callback: () => void): () => void {
  let handle: unknown;
  const arm = () => {
    const wait = at - clock.wallNow();
    if (wait > MAX_TIMER_MS) {
      handle = clock.setTimeout(arm, MAX_TIMER_MS);
    } else {
      handle = clock.setTimeout(callback, Math.max(0, wait));
    }
  };
  arm();
  return () => clock.clearTimeout(handle);
}
