import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Limits } from './limits.js';
import { parseDate } from './limits.js';
import { consoleStatsSchema, type ConsoleStats } from './schemas.js';
import { discardBody } from '../http/upstream.js';

/**
 * A live console stream, handed to one listener as typed events.
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

/**
 * Receives each event in order, synchronously as it is parsed (or from a
 * later turn of the event loop when a burst is sliced). It must not throw.
 */
export type ConsoleListener = (event: ConsoleEvent) => void;

/**
 * Events are pushed to the listener rather than pulled through an async
 * iterator: at thousands of lines a second a promise and an iterator result
 * per line were most of what a console allocated.
 */
export class ConsoleStream {
  /** Rate-limit and credit figures from the response that opened the stream. */
  readonly limits: Limits;
  readonly #body: Readable;
  /** Events not handed out yet: before `listen`, or behind a spent slice. */
  readonly #queue: ConsoleEvent[] = [];
  #listener: ConsoleListener | undefined;
  #finished = false;
  /** Events handed out in the current run of synchronous code, and when that run began. */
  #sliceEvents = 0;
  #sliceStart = 0;
  #drainScheduled = false;
  readonly #endSlice = (): void => {
    this.#sliceEvents = 0;
  };
  readonly #drain = (): void => this.#drainSlice();
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
        if (event?.type !== 'output' || !event.line.includes('\n')) {
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

  /** True once the stream has ended (its `closed` event is issued, or waits behind earlier events). */
  get closed(): boolean {
    return this.#finished;
  }

  /** Starts handing events to `listener` (one listener per stream); events that came before are handed first. */
  listen(listener: ConsoleListener): void {
    if (this.#listener) throw new Error('A console stream has one listener');
    this.#listener = listener;
    if (this.#queue.length > 0) this.#scheduleDrain();
  }

  /** Ends the stream and its connection; the listener then gets `closed` (client_closed). */
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

  /** Hands `event` over now if nothing waits before it and the slice allows; queues it otherwise. */
  #deliver(event: ConsoleEvent): void {
    const listener = this.#listener;
    if (listener && this.#queue.length === 0 && !this.#sliceSpent()) {
      listener(event);
      return;
    }
    this.#queue.push(event);
    if (listener) this.#scheduleDrain();
  }

  #finish(reason: string): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#deliver({ type: 'closed', reason });
    discardBody(this.#body);
    this.#onFinish?.();
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    setImmediate(this.#drain);
  }

  /** One slice of the queue, on its own turn of the event loop; the rest on the next turns. */
  #drainSlice(): void {
    this.#drainScheduled = false;
    const listener = this.#listener;
    if (!listener) return;
    this.#sliceEvents = 0;
    let event: ConsoleEvent | undefined;
    while (!this.#sliceSpent() && (event = this.#queue.shift())) listener(event);
    this.#sliceEvents = 0;
    if (this.#queue.length <= LOW_WATER && this.#body.isPaused() && !this.#finished) this.#body.resume();
    if (this.#queue.length > 0) this.#scheduleDrain();
  }

  /**
   * Counts an event about to be handed out; true when the current slice is
   * spent (SLICE_EVENTS events or SLICE_MS in one run of synchronous code),
   * so it waits for a later turn and other users' work runs first. A slice
   * ends with the run: a microtask resets the count.
   */
  #sliceSpent(): boolean {
    if (this.#sliceEvents === 0) {
      this.#sliceStart = performance.now();
      queueMicrotask(this.#endSlice);
    } else if (this.#sliceEvents >= SLICE_EVENTS || performance.now() - this.#sliceStart >= SLICE_MS) {
      return true;
    }
    this.#sliceEvents += 1;
    return false;
  }
}
