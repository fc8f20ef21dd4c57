import type { ConsoleEvent, ConsoleStream } from '../../src/atomichost/console-stream.js';

/**
 * A console stream's events as an async iterator, for tests that read them
 * in order. Leaving the loop early (`break`, `return()`) closes the stream,
 * and the iterator is done after the `closed` event.
 */
export function eventsOf(stream: ConsoleStream): AsyncIterableIterator<ConsoleEvent> {
  const buffered: ConsoleEvent[] = [];
  let waiting: ((result: IteratorResult<ConsoleEvent>) => void) | undefined;
  let sawClosed = false;
  stream.listen((event) => {
    if (waiting) {
      const wake = waiting;
      waiting = undefined;
      wake({ value: event, done: false });
    } else {
      buffered.push(event);
    }
  });
  const iterator: AsyncIterableIterator<ConsoleEvent> = {
    next() {
      const event = buffered.shift();
      if (event) {
        if (event.type === 'closed') sawClosed = true;
        return Promise.resolve({ value: event, done: false });
      }
      if (sawClosed) return Promise.resolve({ value: undefined, done: true });
      return new Promise<IteratorResult<ConsoleEvent>>((resolve) => {
        waiting = (result) => {
          if (result.value?.type === 'closed') sawClosed = true;
          resolve(result);
        };
      });
    },
    return() {
      stream.close();
      sawClosed = true;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
