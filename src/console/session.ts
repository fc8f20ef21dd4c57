import type { ConsoleEvent, ConsoleStream } from '../atomichost/console-stream.js';
import type { Limits } from '../atomichost/limits.js';
import type { ConsoleStats } from '../atomichost/schemas.js';
import { AnsiReducer, neutraliseBackticks, neutraliseMentions, stripAnsi } from './ansi.js';
import { Transcript } from './transcript.js';
import { newId, type ConsoleView, type Ending, type ViewSnapshot } from './view.js';

/** Longest console line kept (characters); longer ones are cut. */
export const LINE_MAX = 8_192;

export type StreamState = ViewSnapshot['streamState'];

/**
 * One upstream console stream for one (Discord user, server), fanned out
 * to every console message of that user for that server. Never shared
 * between users: the key is the user's own. Its output is kept once, in
 * its transcript, which the messages' logs read from.
 */
export class ConsoleSession {
  readonly id = newId();
  /** Live messages, oldest first. */
  readonly views = new Set<ConsoleView>();
  readonly transcript = new Transcript();
  readonly openedAt = Date.now();
  state: StreamState = 'connecting';
  powerState: string | undefined;
  stats: ConsoleStats | undefined;
  limits: Limits | undefined;
  expiresAt: Date | undefined;
  linesReceived = 0;
  lastOutputAt = Date.now();
  /** Automatic reconnects used (each costs a stream's credits). */
  retries = 0;
  /** Set once the bot decided to end the session; later `closed` events are expected. */
  ending = false;
  /** Why the stream ended, for a message that arrives after the end. */
  endedWith: Ending | undefined;
  stream: ConsoleStream | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  readonly #reducer = new AnsiReducer();

  constructor(
    readonly userId: string,
    readonly serverId: string,
  ) {}

  get key(): string {
    return sessionKey(this.userId, this.serverId);
  }

  snapshot(): ViewSnapshot {
    return {
      streamState: this.state,
      powerState: this.powerState,
      stats: this.stats,
      limits: this.limits,
    };
  }

  /** Copies the stream state to every view and asks each for an edit. */
  publish(): void {
    const snapshot = this.snapshot();
    for (const view of this.views) {
      view.snapshot = snapshot;
      view.scheduler.markDirty();
    }
  }

  /** Splits an `output` event into lines, reduces each once, and hands them to every view. */
  output(data: string): void {
    this.lastOutputAt = Date.now();
    const lines = data.includes('\n') ? data.split('\n') : [data];
    for (const raw of lines) {
      const line = raw.length > LINE_MAX ? `${raw.slice(0, LINE_MAX)}…` : raw;
      const { display, plain } = this.#reducer.reduce(line);
      this.linesReceived += 1;
      this.transcript.append(plain);
      for (const view of this.views) view.pushLine(display);
    }
  }

  /**
   * A line from Hostlink itself (bold yellow in the console, plain in the
   * log). `privateOnly` keeps it out of public messages: what the user typed
   * (a password to a login plugin) is theirs alone.
   */
  notice(text: string, options: { privateOnly?: boolean } = {}): void {
    const plain = `[Hostlink] ${text}`;
    const display = `\u001b[1;33m${neutraliseMentions(neutraliseBackticks(plain))}\u001b[0m`;
    this.transcript.append(plain);
    for (const view of this.views) if (!options.privateOnly || !view.isPublic) view.pushLine(display);
  }

  /** Applies one non-terminal event; returns false for `closed`. */
  apply(event: ConsoleEvent): boolean {
    switch (event.type) {
      case 'ready':
        this.state = 'live';
        this.expiresAt = event.expiresAt;
        this.publish();
        return true;
      case 'output':
        this.output(event.line);
        return true;
      case 'status':
        this.powerState = event.state.toLowerCase().slice(0, 40);
        this.publish();
        return true;
      case 'stats':
        this.stats = event.stats;
        if (event.stats.state) this.powerState = event.stats.state.toLowerCase().slice(0, 40);
        this.publish();
        return true;
      case 'error':
        this.notice(`Stream error: ${stripAnsi(event.message).slice(0, 300)}`);
        return true;
      case 'closed':
        return false;
    }
  }

  clearTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.retryTimer);
    this.idleTimer = undefined;
    this.retryTimer = undefined;
  }
}

export function sessionKey(userId: string, serverId: string): string {
  return `${userId}:${serverId}`;
}
