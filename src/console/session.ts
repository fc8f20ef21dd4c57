import type { ConsoleEvent, ConsoleStream } from '../atomichost/console-stream.js';
import type { Limits } from '../atomichost/limits.js';
import type { ConsoleStats } from '../atomichost/schemas.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { escapeCodeBlock } from '../text.js';
import { AnsiReducer, neutraliseMentions, stripAnsi } from './ansi.js';
import { minutes } from './close-wording.js';
import { Transcript } from './transcript.js';
import { newId, type SessionView, type ViewSnapshot } from './session-view.js';
import { STREAM_COST, type ConsoleStatus, type Ending } from './view-embed.js';

/** Longest console line kept (characters); longer ones are cut. */
export const LINE_MAX = 8_192;
/** Automatic reconnects after unexpected disconnects, per stream: once, as the README tells users. */
export const MAX_AUTO_RETRIES = 1;

/** What a session needs from its manager to run its lifecycle. */
export interface SessionDriver<V extends SessionView> {
  clock: Clock;
  logger: Logger;
  idleMs: number;
  retryDelayMs: number;
  /** False while the bot stops: no automatic reconnect then. */
  mayRetry(): boolean;
  /** A new stream for the same user and server (the key is looked up again). */
  reopen(session: ConsoleSession<V>): Promise<ConsoleStream>;
  /** The words for a close AtomicHost chose. */
  describeClose(session: ConsoleSession<V>, reason: string): Promise<Ending>;
  /** The words for a failed reconnect. */
  explain(error: unknown): string;
  /** Ends the session and every message on it. */
  end(session: ConsoleSession<V>, ending: Ending): Promise<void>;
}

/**
 * One upstream console stream for one (Discord user, server), fanned out
 * to every console message of that user for that server. Never shared
 * between users: the key is the user's own. Its output is kept once, in
 * its transcript, which the messages' logs read from.
 *
 * A state machine: connecting → live (on `ready`) → retrying (connection
 * lost, once) → connecting … → ending → ended. The idle and retry timers
 * run on the driver's clock.
 */
export class ConsoleSession<V extends SessionView> {
  readonly id = newId();
  readonly transcript = new Transcript();
  readonly openedAt: number;
  readonly #views = new Set<V>();
  readonly #driver: SessionDriver<V>;
  #status: ConsoleStatus = 'connecting';
  #powerState: string | undefined;
  #stats: ConsoleStats | undefined;
  #limits: Limits | undefined;
  #lastOutputAt: number;
  #retries = 0;
  #endedWith: Ending | undefined;
  #stream: ConsoleStream | undefined;
  #idleTimer: unknown;
  #retryTimer: unknown;
  readonly #reducer = new AnsiReducer();

  constructor(
    readonly userId: string,
    readonly serverId: string,
    driver: SessionDriver<V>,
  ) {
    this.#driver = driver;
    this.openedAt = driver.clock.now();
    this.#lastOutputAt = this.openedAt;
  }

  get key(): string {
    return sessionKey(this.userId, this.serverId);
  }

  get status(): ConsoleStatus {
    return this.#status;
  }

  /** Ending or ended: no new message joins it, later `closed` events are expected. */
  get isOver(): boolean {
    return this.#status === 'ending' || this.#status === 'ended';
  }

  /** Why the stream ended, for a message that arrives after the end. */
  get endedWith(): Ending | undefined {
    return this.#endedWith;
  }

  /** Live messages, oldest first. */
  get views(): ReadonlySet<V> {
    return this.#views;
  }

  addView(view: V): void {
    this.#views.add(view);
  }

  removeView(view: V): void {
    this.#views.delete(view);
  }

  snapshot(): ViewSnapshot {
    return {
      streamState: this.#status,
      powerState: this.#powerState,
      stats: this.#stats,
      limits: this.#limits,
    };
  }

  /** New credit figures from another call (e.g. `/console send`): every footer shows them. */
  noteLimits(limits: Limits): void {
    this.#limits = limits;
    this.publish();
  }

  /** Copies the stream state to every view and asks each for an edit. */
  publish(): void {
    const snapshot = this.snapshot();
    for (const view of this.#views) view.update(snapshot);
  }

  // --- lifecycle -----------------------------------------------------------------

  /** Starts reading a (new) stream: connecting until its `ready`, ended by idleness or its close. */
  run(stream: ConsoleStream): void {
    this.#stream = stream;
    this.#limits = stream.limits;
    this.#armIdle();
    stream.listen((event) => {
      if (event.type === 'closed') {
        void this.#closed(stream, event.reason);
        return;
      }
      try {
        this.apply(event);
      } catch (error) {
        // A fault of ours must not take the process down with the socket's callback: the stream is dropped.
        this.#driver.logger.warn({ err: error, sessionId: this.id }, 'Console stream failed');
        void this.#closed(stream, 'connection_lost');
        stream.close();
      }
    });
  }

  /** The stream ended (`reason`): reconnect once if the connection was lost, or end the session. */
  async #closed(stream: ConsoleStream, reason: string): Promise<void> {
    if (this.isOver || this.#stream !== stream) return;
    this.#stream = undefined;
    this.#driver.logger.info(
      { sessionId: this.id, reason, serverId: this.serverId },
      'Console stream closed',
    );
    if (reason === 'connection_lost' && this.#retries < MAX_AUTO_RETRIES && this.#driver.mayRetry()) {
      this.#retries += 1;
      this.#status = 'retrying';
      this.notice(`Connection lost — reconnecting (a new stream costs ${STREAM_COST} credits)…`);
      this.publish();
      const delay = this.#driver.retryDelayMs * (1 + Math.random() * 0.5);
      this.#retryTimer = this.#driver.clock.setTimeout(() => void this.#retry(), delay);
      return;
    }
    await this.#driver.end(this, await this.#driver.describeClose(this, reason));
  }

  async #retry(): Promise<void> {
    this.#retryTimer = undefined;
    if (this.isOver || this.#views.size === 0) return;
    try {
      const stream = await this.#driver.reopen(this);
      if (this.isOver) {
        stream.close();
        return;
      }
      this.#status = 'connecting';
      this.notice('Reconnected.');
      this.run(stream);
      this.publish();
    } catch (error) {
      await this.#driver.end(this, {
        text: `The connection was lost and reconnecting failed: ${this.#driver.explain(error)}`,
        reconnect: true,
      });
    }
  }

  #armIdle(): void {
    const { clock, idleMs } = this.#driver;
    clock.clearTimeout(this.#idleTimer);
    const check = (): void => {
      if (this.isOver) return;
      const quiet = clock.now() - this.#lastOutputAt;
      if (quiet >= idleMs) {
        void this.#driver.end(this, {
          text: `No output for ${minutes(idleMs)}, so the stream was closed to save your streams and credits.`,
          reconnect: true,
        });
        return;
      }
      this.#idleTimer = clock.setTimeout(check, idleMs - quiet);
    };
    this.#lastOutputAt = clock.now();
    this.#idleTimer = clock.setTimeout(check, idleMs);
  }

  /** The bot decided to end it (first reason wins): messages still get their final edit. */
  beginEnding(ending: Ending): void {
    if (this.#status !== 'ended') this.#status = 'ending';
    this.#endedWith ??= ending;
  }

  /** Closes the upstream stream and stops the timers; the session is done. */
  close(): void {
    this.#status = 'ended';
    this.#driver.clock.clearTimeout(this.#idleTimer);
    this.#driver.clock.clearTimeout(this.#retryTimer);
    this.#idleTimer = undefined;
    this.#retryTimer = undefined;
    this.#stream?.close();
    this.#stream = undefined;
  }

  // --- output --------------------------------------------------------------------

  /** Splits an `output` event into lines, reduces each once, and hands them to every view. */
  output(data: string): void {
    this.#lastOutputAt = this.#driver.clock.now();
    if (!data.includes('\n')) {
      this.#line(data);
      return;
    }
    for (const raw of data.split('\n')) this.#line(raw);
  }

  #line(raw: string): void {
    const line = raw.length > LINE_MAX ? `${raw.slice(0, LINE_MAX)}…` : raw;
    const { display, plain } = this.#reducer.reduce(line);
    this.transcript.append(plain);
    for (const view of this.#views) view.pushLine(display);
  }

  /**
   * A line from Hostlink itself (bold yellow in the console, plain in the
   * log). `privateOnly` keeps it out of public messages: what the user typed
   * (a password to a login plugin) is theirs alone.
   */
  notice(text: string, options: { privateOnly?: boolean } = {}): void {
    const plain = `[Hostlink] ${text}`;
    const display = `\u001b[1;33m${neutraliseMentions(escapeCodeBlock(plain))}\u001b[0m`;
    this.transcript.append(plain);
    for (const view of this.#views) if (!options.privateOnly || !view.isPublic) view.pushLine(display);
  }

  /** Applies one non-terminal event; returns false for `closed`. */
  apply(event: ConsoleEvent): boolean {
    switch (event.type) {
      case 'ready':
        if (!this.isOver) this.#status = 'live';
        this.publish();
        return true;
      case 'output':
        this.output(event.line);
        return true;
      case 'status':
        this.#powerState = event.state.toLowerCase().slice(0, 40);
        this.publish();
        return true;
      case 'stats':
        this.#stats = event.stats;
        if (event.stats.state) this.#powerState = event.stats.state.toLowerCase().slice(0, 40);
        this.publish();
        return true;
      case 'error':
        this.notice(`Stream error: ${stripAnsi(event.message).slice(0, 300)}`);
        return true;
      case 'closed':
        return false;
    }
  }
}

export function sessionKey(userId: string, serverId: string): string {
  return `${userId}:${serverId}`;
}
