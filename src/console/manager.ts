import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type REST,
} from 'discord.js';
import type { ConsoleStream } from '../atomichost/console-stream.js';
import { AtomicHostError } from '../atomichost/errors.js';
import { UserError } from '../errors.js';
import { NO_MENTIONS, defer, errorEmbed, respond } from '../bot/respond.js';
import { describeClose, explain, minutes } from './close-wording.js';
import { heldStreams, limitAnswer } from './limit-answer.js';
import { isStreamLimit, StreamLimitReached, StreamPlaces } from './stream-places.js';
import { consoleLogFile } from './log-file.js';
import type { ConsolePorts, ConsoleTimings } from './ports.js';
import { signalOfRateLimited, signalOfResponse, type RestSignal } from './rest-signals.js';
import { Retention } from './retention.js';
import { ConsoleSession, sessionKey, type SessionDriver } from './session.js';
import { sendConsoleEdit, editFailure } from './edit-outcome.js';
import { ConsoleView, type EditPayload, type ViewInteraction, type ViewOutput } from './view.js';
import type { Ending } from './view-embed.js';
import { LOG_RETENTION_MS, MAX_ENDED_VIEWS, MAX_LIVE_VIEWS_PER_STREAM } from './limits.js';

/** A session feeding console messages. */
type Session = ConsoleSession<ConsoleView>;

/**
 * Every live console of the bot: one upstream stream per (user, server)
 * shared by that user's messages for that server, each message edited by
 * its own scheduler. Keeps the registries (streams, messages by id and by
 * token, ended messages); the lifecycles live in ConsoleSession and
 * ConsoleView. In Context as `ctx.consoles`.
 */
export class ConsoleManager {
  readonly #ports: ConsolePorts;
  readonly #sessions = new Map<string, Session>();
  readonly #opening = new Map<string, Promise<Session>>();
  /** Live and recently ended messages, by view id. */
  readonly #views = new Map<string, ConsoleView>();
  /** Live messages by interaction token (rate-limit signals name the token). */
  readonly #byToken = new Map<string, ConsoleView>();
  readonly #retained: Retention;
  readonly #driver: SessionDriver<ConsoleView>;
  readonly #output: ViewOutput;
  readonly #places: StreamPlaces;
  #closing = false;

  constructor(timings: ConsoleTimings, ports: ConsolePorts) {
    this.#ports = ports;
    const { clock, logger } = ports;
    this.#places = new StreamPlaces(ports.streams, clock, logger);
    this.#retained = new Retention(clock, LOG_RETENTION_MS, MAX_ENDED_VIEWS, (id) => {
      if (this.#views.get(id)?.status === 'ended') this.#views.delete(id);
    });
    this.#driver = {
      clock,
      logger,
      idleMs: timings.idleMs,
      retryDelayMs: timings.retryDelayMs,
      mayRetry: () => !this.#closing,
      reopen: (session) => ports.openConsole(session.userId, session.serverId),
      describeClose: (session, reason) => describeClose(reason, () => ports.checkKey(session.userId), logger),
      explain: (error) => explain(error, logger),
      end: (session, ending) => this.endSession(session, ending),
    };
    this.#output = {
      clock,
      intervalMs: timings.intervalMs,
      lifetimeMs: timings.messageLifetimeMs,
      edit: (view, payload) => this.#edit(view, payload),
      editFailed: (view, error, failures) => this.#editFailed(view, error, failures),
      expired: (view) =>
        void this.endView(view, {
          text: `Discord lets a bot update a message for 15 minutes only, so this one stopped after ${minutes(timings.messageLifetimeMs)}.`,
          reconnect: true,
        }),
    };
  }

  get openSessions(): number {
    return this.#sessions.size;
  }

  get liveViews(): number {
    return this.#byToken.size;
  }

  /**
   * Listens to discord.js's REST events so each message's scheduler slows
   * down on its own bucket's signals (see rest-signals.ts).
   */
  attachRest(rest: REST): void {
    rest.on('response', (request, response) =>
      this.#signal(signalOfResponse(request.path, response.status, (name) => response.headers.get(name))),
    );
    rest.on('rateLimited', (info) => this.#signal(signalOfRateLimited(info)));
  }

  #signal(signal: RestSignal | undefined): void {
    const view = signal && this.#byToken.get(signal.token);
    if (!signal || !view) return;
    if (signal.kind === 'rate_limited') view.rateLimited(signal.ms);
    else view.bucketExhausted(signal.ms);
  }

  // --- opening ---------------------------------------------------------------

  /** `/console stream`: a new console message, on the user's stream for the server (opened if needed). */
  async open(interaction: ChatInputCommandInteraction, serverId: string, isPublic: boolean): Promise<void> {
    this.#refuseWhileClosing();
    await defer(interaction, { ephemeral: !isPublic });
    let session: Session;
    try {
      session = await this.#sessionFor(interaction.user.id, serverId);
    } catch (error) {
      if (isStreamLimit(error)) {
        await respond(interaction, this.limitAnswer(interaction.user.id, error));
        return;
      }
      throw error;
    }
    const view = this.#newView(interaction, serverId, isPublic);
    this.#attach(view, session);
    this.#ports.logger.info({ serverId, viewId: view.id, sessionId: session.id, isPublic }, 'Console opened');
  }

  /** *Reconnect*: the same message goes live again on the button's own (fresh) interaction token. */
  async reconnect(
    interaction: ButtonInteraction,
    target: { viewId: string; serverId: string; isPublic: boolean },
  ): Promise<void> {
    this.#refuseWhileClosing();
    const existing = this.#views.get(target.viewId);
    if (existing && !existing.isOver) throw new UserError('This console is already live.', 'Already live');
    await interaction.deferUpdate();
    let session: Session;
    try {
      // After the acknowledgement: a slow key store can't make Discord's 3 s pass.
      session = await this.#sessionFor(interaction.user.id, target.serverId);
    } catch (error) {
      const answer = isStreamLimit(error)
        ? this.limitAnswer(interaction.user.id, error)
        : {
            embeds: [errorEmbed(explain(error, this.#ports.logger), 'Could not reconnect')],
            components: [],
          };
      await interaction.followUp({ ...answer, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }
    let view = this.#views.get(target.viewId);
    if (view && view.isOver && view.invokerId === interaction.user.id) {
      await view.finalEdit;
      this.#retained.release(view.id);
      if (this.#byToken.get(view.token) === view) this.#byToken.delete(view.token);
      view.rebind(interaction);
    } else {
      view = this.#newView(interaction, target.serverId, target.isPublic);
    }
    this.#attach(view, session);
    this.#ports.logger.info(
      { serverId: target.serverId, viewId: view.id, sessionId: session.id },
      'Console reconnected',
    );
  }

  #refuseWhileClosing(): void {
    if (this.#closing) throw new UserError('Hostlink is restarting — open the console again in a moment.');
  }

  #newView(interaction: ViewInteraction, serverId: string, isPublic: boolean): ConsoleView {
    const invokerId = interaction.user.id;
    const serverName = this.#ports.serverName(invokerId, serverId);
    return new ConsoleView(interaction, { invokerId, serverId, serverName, isPublic }, this.#output);
  }

  /** The user's live stream for the server, or a new one (one open at a time per user and server). */
  async #sessionFor(userId: string, serverId: string): Promise<Session> {
    const key = sessionKey(userId, serverId);
    const live = this.#sessions.get(key);
    if (live && !live.isOver) return live;
    const pending = this.#opening.get(key);
    if (pending) return pending;
    const opening = (async () => {
      const session = new ConsoleSession<ConsoleView>(userId, serverId, this.#driver);
      // Counted across processes before AtomicHost is asked (throws at the limit, or when it cannot count).
      await this.#places.take(session);
      const stream: ConsoleStream = await this.#ports
        .openConsole(userId, serverId)
        .catch((error: unknown) => {
          this.#places.free(session);
          throw error;
        });
      this.#sessions.set(session.key, session);
      session.run(stream);
      return session;
    })();
    this.#opening.set(key, opening);
    try {
      return await opening;
    } finally {
      this.#opening.delete(key);
    }
  }

  #attach(view: ConsoleView, session: Session): void {
    this.#views.set(view.id, view);
    this.#byToken.set(view.token, view);
    if (session.isOver) {
      // The stream ended between opening and showing it.
      void this.endView(view, session.endedWith ?? { text: 'The stream ended at once.', reconnect: true });
      return;
    }
    view.show(session);
    this.#endOldestBeyondCap(session);
  }

  /** Each live message costs edits and memory: past the cap, the oldest on the stream ends. */
  #endOldestBeyondCap(session: Session): void {
    for (const oldest of [...session.views].slice(0, -MAX_LIVE_VIEWS_PER_STREAM)) {
      void this.endView(oldest, {
        text: `You opened this console in a newer message, and Hostlink keeps at most ${MAX_LIVE_VIEWS_PER_STREAM} live messages per server for you, so this one, the oldest, stopped.`,
        reconnect: true,
      });
    }
  }

  // --- editing -----------------------------------------------------------------

  #edit(view: ConsoleView, payload: EditPayload): Promise<void> {
    return sendConsoleEdit(view, payload, this.#ports.logger);
  }

  #editFailed(view: ConsoleView, error: unknown, failures: number): 'stop' | 'retry' {
    const { stop, gone } = editFailure(error, failures);
    if (stop) {
      this.#ports.logger.info(
        { err: error, viewId: view.id },
        gone ? 'Console message is gone; closing it' : 'Console message keeps failing; closing it',
      );
      queueMicrotask(
        () =>
          void this.endView(view, { text: 'The message could no longer be edited.', reconnect: true }, true),
      );
      return 'stop';
    }
    this.#ports.logger.warn(
      { err: error, viewId: view.id },
      'Console edit failed; retrying with the latest state',
    );
    return 'retry';
  }

  // --- ending ------------------------------------------------------------------

  /**
   * Ends one message: final edit (unless `silent`, when it cannot be
   * edited any more), buttons switched to Reconnect / Download log, and the
   * stream closed when no other message uses it.
   */
  endView(view: ConsoleView, ending: Ending, silent = false): Promise<void> {
    if (view.isOver && view.finalEdit) return view.finalEdit;
    const session = view.session;
    const token = view.token;
    const done = view.end(ending, silent);
    if (session && session.views.size === 0) this.#closeSession(session);
    this.#retained.keep(view.id);
    return done.finally(() => {
      if (this.#byToken.get(token) === view && view.status === 'ended') this.#byToken.delete(token);
    });
  }

  /** Ends a stream and every message on it. */
  async endSession(session: Session, ending: Ending): Promise<void> {
    session.beginEnding(ending);
    const finals = [...session.views].map((view) => this.endView(view, ending));
    this.#closeSession(session);
    await Promise.allSettled(finals);
  }

  #closeSession(session: Session): void {
    session.close();
    this.#places.free(session);
    if (this.#sessions.get(session.key) === session) this.#sessions.delete(session.key);
  }

  /** Ends every stream of one user (their key was removed, replaced or revoked). */
  async endUser(userId: string, ending: Ending): Promise<void> {
    await Promise.allSettled(this.sessionsOf(userId).map((session) => this.endSession(session, ending)));
  }

  /**
   * Shutdown: every live message gets a final edit saying why, then the
   * streams close. Resolves when all final edits are done or `deadlineMs`
   * has passed, whichever is first.
   */
  async stopAll(text: string, deadlineMs: number): Promise<void> {
    this.#closing = true;
    const finals = [...this.#byToken.values()]
      .filter((view) => !view.isOver)
      .map((view) => this.endView(view, { text, reconnect: true }));
    for (const session of [...this.#sessions.values()]) this.#closeSession(session);
    this.#places.close();
    const { clock } = this.#ports;
    let timer: unknown;
    const deadline = new Promise<void>((resolve) => {
      timer = clock.setTimeout(resolve, deadlineMs);
    });
    await Promise.race([Promise.allSettled(finals), deadline]);
    clock.clearTimeout(timer);
    this.#retained.clear();
  }

  // --- look-ups for the buttons ---------------------------------------------------

  view(id: string): ConsoleView | undefined {
    return this.#views.get(id);
  }

  /** The user's live stream for a server, if any (to echo a command into it). */
  sessionOf(userId: string, serverId: string): Session | undefined {
    const session = this.#sessions.get(sessionKey(userId, serverId));
    return session && !session.isOver ? session : undefined;
  }

  sessionsOf(userId: string): Session[] {
    return [...this.#sessions.values()].filter((s) => s.userId === userId && !s.isOver);
  }

  sessionById(id: string): Session | undefined {
    return [...this.#sessions.values()].find((s) => s.id === id && !s.isOver);
  }

  /** The answer at the account's stream limit: what Hostlink holds (Stop buttons for this process's streams). */
  limitAnswer(
    userId: string,
    error?: AtomicHostError | StreamLimitReached,
    note?: string,
  ): ReturnType<typeof limitAnswer> {
    const { clock, serverName } = this.#ports;
    const elsewhere = error instanceof StreamLimitReached ? error.held : [];
    const held = heldStreams(this.sessionsOf(userId), elsewhere, clock, (id) => serverName(userId, id));
    return limitAnswer(userId, held, error instanceof AtomicHostError ? error : undefined, note);
  }

  /** The log file of a message: a header stating the bound, then the kept lines without colours. */
  logFile(view: ConsoleView): { name: string; data: Buffer } {
    return consoleLogFile(view, this.#ports.clock);
  }
}
