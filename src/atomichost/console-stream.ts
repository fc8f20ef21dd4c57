import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Limits } from './limits.js';
import { parseDate } from './limits.js';
import { consoleStatsSchema, type ConsoleStats } from './schemas.js';
import { discardBody } from '../http/upstream.js';

/**
 * A live console stream as an async iterable of typed events (one consumer).
 * The last event is always exactly one `closed`, whoever ended the stream:
 * its `reason` is the server's text (`max_duration`, `account_banned`, …),
 * `client_closed` after `close()` or an abort, or `connection_lost` when the
 * connection ended without the server saying so, or `line_too_long` when one
 * event grew past EVENT_MAX_CHARS (the bot hangs up rather than buffer it).
 * Unknown event types and unreadable `stats` payloads are skipped rather
 * than ending the stream.
 */
export type ConsoleEvent =
  | { type: 'ready'; expiresAt?: Date }
  | { type: 'output'; line: string }
  | { type: 'status'; state: string }
  | { type: 'stats'; stats: ConsoleStats }
  | { type: 'error'; message: string }
  | { type: 'closed'; reason: string };

/** Pause the socket when the consumer lags this far behind… */
const HIGH_WATER = 1024;
/** …and resume once it has caught up to here. */
const LOW_WATER = 128;
/** Longest event kept while it arrives (characters, about 1 MiB); a longer one ends the stream. */
export const EVENT_MAX_CHARS = 1024 * 1024;
/** Reason of the `closed` event when an event exceeded EVENT_MAX_CHARS. */
export const LINE_TOO_LONG = 'line_too_long';
/**
 * A burst already queued is handed out in slices: after this many events, or
 * this much time, the next one waits for the event loop's next turn, so one
 * busy stream cannot hold up other users' interactions.
 */
const SLICE_EVENTS = 64;
const SLICE_MS = 4;
/** `status`, `error` and `closed` carry a word or a sentence: more is cut before anything reads it. */
const SHORT_MAX = 1000;
/** An `output` payload of many lines (up to 1 MiB of them) is handed out in pieces of this many lines. */
const OUTPUT_LINES_PER_EVENT = 256;

/** `data` cut at every OUTPUT_LINES_PER_EVENT-th newline (the newline itself dropped), so slicing applies. */
function* outputPieces(data: string): Generator<string> {
  let start = 0;
  for (;;) {
    let cut = data.indexOf('\n', start);
    for (let n = 1; n < OUTPUT_LINES_PER_EVENT && cut !== -1; n++) cut = data.indexOf('\n', cut + 1);
    if (cut === -1) {
      yield start === 0 ? data : data.slice(start);
      return;
    }
    yield data.slice(start, cut);
    start = cut + 1;
  }
}

function toEvent(message: EventSourceMessage): ConsoleEvent | undefined {
  switch (message.event) {
    case 'ready': {
      let expiresAt: Date | undefined;
      try {
        const parsed = JSON.parse(message.data) as { expires_at?: unknown };
        expiresAt = typeof parsed.expires_at === 'string' ? parseDate(parsed.expires_at) : undefined;
      } catch {
        // `ready` carries no required data.
      }
      return expiresAt ? { type: 'ready', expiresAt } : { type: 'ready' };
    }
    case 'output':
      return { type: 'output', line: message.data };
    case 'status':
      return { type: 'status', state: message.data.slice(0, SHORT_MAX).trim() };
    case 'stats': {
      let raw: unknown;
      try {
        raw = JSON.parse(message.data);
      } catch {
        return undefined;
      }
      const parsed = consoleStatsSchema.safeParse(raw);
      return parsed.success ? { type: 'stats', stats: parsed.data } : undefined;
    }
    case 'error':
      return { type: 'error', message: message.data.slice(0, SHORT_MAX) };
    case 'closed':
      return { type: 'closed', reason: message.data.slice(0, SHORT_MAX).trim() || 'closed' };
    default:
      return undefined;
  }
}

export class ConsoleStream implements AsyncIterable<ConsoleEvent> {
  /** Rate-limit and credit figures from the response that opened the stream. */
  readonly limits: Limits;
  readonly #body: Readable;
  readonly #queue: ConsoleEvent[] = [];
  #waiting: ((result: IteratorResult<ConsoleEvent>) => void) | undefined;
  #finished = false;
  /** Events handed out from the queue since the last turn of the event loop, and when that run began. */
  #sliceEvents = 0;
  #sliceStart = 0;
  #signal: AbortSignal | undefined;
  readonly #onFinish: (() => void) | undefined;
  readonly #onAbort = (): void => this.close();

  constructor(body: Readable, limits: Limits, options: { signal?: AbortSignal; onFinish?: () => void } = {}) {
    this.limits = limits;
    this.#body = body;
    this.#onFinish = options.onFinish;
    const signal = options.signal;
    const parser = createParser({
      onEvent: (message) => {
        const event = toEvent(message);
        if (event?.type !== 'output') {
          if (event) this.#push(event);
          return;
        }
        for (const line of outputPieces(event.line)) this.#push({ type: 'output', line });
      },
      maxBufferSize: EVENT_MAX_CHARS,
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') this.#finish(LINE_TOO_LONG);
      },
    });
    // undici's body ignores setEncoding; decode here so split UTF-8 sequences survive.
    const decoder = new StringDecoder('utf8');
    body.on('data', (chunk: Buffer | string) => {
      if (!this.#finished) parser.feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    });
    body.on('end', () => this.#finish('connection_lost'));
    body.on('close', () => this.#finish('connection_lost'));
    body.on('error', () => this.#finish('connection_lost'));
    if (signal) {
      this.#signal = signal;
      if (signal.aborted) this.close();
      else signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** True once the `closed` event has been queued. */
  get closed(): boolean {
    return this.#finished;
  }

  /** Ends the stream and its connection; the iterator then yields `closed` (client_closed). */
  close(): void {
    if (this.#finished) return;
    this.#queue.length = 0;
    this.#finish('client_closed');
  }

  #push(event: ConsoleEvent): void {
    if (this.#finished) return;
    if (event.type === 'closed') {
      this.#finish(event.reason);
      return;
    }
    this.#deliver(event);
    if (this.#queue.length >= HIGH_WATER) this.#body.pause();
  }

  #deliver(event: ConsoleEvent): void {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting({ value: event, done: false });
    } else {
      this.#queue.push(event);
    }
  }

  #finish(reason: string): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#deliver({ type: 'closed', reason });
    discardBody(this.#body);
    this.#onFinish?.();
  }

  #next(): Promise<IteratorResult<ConsoleEvent>> {
    const event = this.#queue.shift();
    if (event) {
      if (this.#queue.length <= LOW_WATER && this.#body.isPaused() && !this.#finished) this.#body.resume();
      const result: IteratorResult<ConsoleEvent> = { value: event, done: false };
      if (!this.#sliceSpent()) return Promise.resolve(result);
      return new Promise((resolve) => setImmediate(() => resolve(result)));
    }
    if (this.#finished) return Promise.resolve({ value: undefined, done: true });
    // Waiting for data gives the event loop its turn: the next slice starts afresh.
    this.#sliceEvents = 0;
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /**
   * Counts an event handed out from the queue; true when the current slice
   * is spent and the event should wait for the next turn (the slice restarts).
   * Events that waited for data start a slice of their own.
   */
  #sliceSpent(): boolean {
    const now = performance.now();
    if (this.#sliceEvents === 0) this.#sliceStart = now;
    this.#sliceEvents += 1;
    if (this.#sliceEvents < SLICE_EVENTS && now - this.#sliceStart < SLICE_MS) return false;
    this.#sliceEvents = 0;
    return true;
  }

  [Symbol.asyncIterator](): AsyncIterator<ConsoleEvent> {
    return {
      next: () => this.#next(),
      return: () => {
        this.close();
        this.#queue.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
