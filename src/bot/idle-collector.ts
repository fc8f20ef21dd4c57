import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import type { Logger } from '../logger.js';

/**
 * Full garbage collections at quiet moments instead of in a rush.
 *
 * V8 starts a full collection when the old generation reaches a limit,
 * wherever that moment falls. A rush of /claim clicks promotes some 10 MB
 * and the follow-up work after it some 20 MB more, so that moment kept
 * landing inside the next rush: a 4–10 ms pause plus up to 8 ms of marking
 * steps, with a click arriving every millisecond (bench/rewards-claim; its
 * ack p99 went over 10 ms in about half the runs).
 *
 * Here a full collection runs once no interaction has arrived for a while
 * and the heap has grown by `growthBytes` since the last one; V8's own
 * limit is raised (see `startIdleCollector`) so that it only collects in
 * a rush that never pauses. An interaction arriving during the collection
 * (about 20 ms) waits that long at most, far inside Discord's 3 s.
 */
export interface IdleCollectorPorts {
  /** Milliseconds since the last interaction arrived. */
  quietForMs(): number;
  /** Bytes in use on the JavaScript heap and outside it held by JavaScript objects (Buffers). */
  heapUsed(): number;
  /** One full, synchronous collection. */
  collect(): void;
}

export interface IdleCollection {
  before: number;
  after: number;
}

export class IdleCollector {
  #baseline: number;

  constructor(
    private readonly ports: IdleCollectorPorts,
    private readonly options: {
      /** No interaction for this long: the process may pause for a collection. */
      quietMs: number;
      /** Growth of the heap since the last full collection that is worth collecting. */
      growthBytes: number;
    },
  ) {
    this.#baseline = ports.heapUsed();
  }

  /** Collects when it is quiet and the heap has grown enough; says what it did. */
  check(): IdleCollection | undefined {
    if (this.ports.quietForMs() < this.options.quietMs) return undefined;
    const before = this.ports.heapUsed();
    if (before - this.#baseline < this.options.growthBytes) {
      // V8 collected on its own meanwhile: grow from where the heap is now.
      this.#baseline = Math.min(this.#baseline, before);
      return undefined;
    }
    this.ports.collect();
    this.#baseline = this.ports.heapUsed();
    return { before, after: this.#baseline };
  }
}

const QUIET_MS = 100;
const GROWTH_BYTES = 16 * 1024 * 1024;
const CHECK_EVERY_MS = 250;
/**
 * V8's own limit: 2.5 × the live heap after a collection (its dynamic factor
 * was 1.5–2 here, which left less room than one rush and its follow-up work).
 */
const V8_HEAP_GROWING_PERCENT = 150;

const MIB = 1024 * 1024;

export interface IdleCollectorWiring {
  /** Milliseconds since the last interaction arrived (src/bot/after-ack.ts). */
  quietForMs: () => number;
  logger: Logger;
  /** `globalThis.gc`, there only with `--expose-gc`. */
  gc?: unknown;
  /** Runs `check` every `ms` until the returned function is called (tests drive it). */
  every?: (check: () => void, ms: number) => () => void;
}

const everyUnref = (check: () => void, ms: number): (() => void) => {
  const timer = setInterval(check, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Runs the idle collector when node was started with `--expose-gc` (as
 * `npm start` does); without it (`npm run dev`, tests) there is nothing to
 * call and V8 collects as usual. Returns a stop function.
 */
export function startIdleCollector(wiring: IdleCollectorWiring): (() => void) | undefined {
  const { gc = (globalThis as { gc?: unknown }).gc, logger, every = everyUnref } = wiring;
  if (typeof gc !== 'function') return undefined;
  // Read by V8 at every limit it sets, so it applies from the next collection on; an unknown flag is ignored.
  setFlagsFromString(`--heap-growing-percent=${V8_HEAP_GROWING_PERCENT}`);
  const collector = new IdleCollector(
    {
      quietForMs: wiring.quietForMs,
      // External memory too: V8's raised limit applies to it as well, and console streams hold it in Buffers.
      heapUsed: () => {
        const heap = getHeapStatistics();
        return heap.used_heap_size + heap.external_memory;
      },
      collect: gc as () => void,
    },
    { quietMs: QUIET_MS, growthBytes: GROWTH_BYTES },
  );
  return every(() => {
    const started = performance.now();
    const done = collector.check();
    if (done)
      logger.debug(
        {
          heapBeforeMiB: Math.round(done.before / MIB),
          heapAfterMiB: Math.round(done.after / MIB),
          pauseMs: Math.round(performance.now() - started),
        },
        'Full garbage collection at a quiet moment',
      );
  }, CHECK_EVERY_MS);
}
