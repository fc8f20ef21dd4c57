import type { Clock } from '../clock.js';

/** Resolves after `ms` on `clock`, or rejects with an AbortError when `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(new DOMException('aborted', 'AbortError'));
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
