import {
  ButtonStyle,
  ComponentType,
  DiscordAPIError,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type REST,
  type RateLimitData,
} from 'discord.js';
import type { AtomicHostApi } from '../atomichost/client.js';
import { LINE_TOO_LONG, type ConsoleStream } from '../atomichost/console-stream.js';
import { AtomicHostError, sanitizeUpstreamMessage } from '../atomichost/errors.js';
import { presentError } from '../presenter/errors.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { isHarmlessDiscordError, newErrorId } from '../bot/error-funnel.js';
import { NO_MENTIONS, defer, errorEmbed, respond } from '../bot/respond.js';
import { Colors } from '../bot/style.js';
import { userApi } from '../user/api.js';
import { knownServerName } from '../user/options.js';
import type { UserCaches } from '../user/caches.js';
import { formatDuration, plain } from '../text.js';
import { mentionFree } from './render.js';
import { ConsoleSession, sessionKey } from './session.js';
import { fitEmbeds } from '../bot/embed-limits.js';
import { consoleLogFile } from './log-file.js';
import {
  ConsoleView,
  STREAM_COST,
  consoleCustomId,
  type EditPayload,
  type Ending,
  type ViewInteraction,
} from './view.js';

/** Ended messages keep their log (for *Download log*) this long… */
export const LOG_RETENTION_MS = 15 * 60_000;
/** …and at most this many ended messages are kept at once (oldest forgotten first). */
export const MAX_ENDED_VIEWS = 200;
/** Automatic reconnects after unexpected disconnects, per stream: once, as the README tells users. */
export const MAX_AUTO_RETRIES = 1;
/** Live messages per stream, i.e. per user and server; one more ends the oldest. */
export const MAX_LIVE_VIEWS_PER_STREAM = 3;
/** Consecutive failed edits (other than "message gone") before a message is given up. */
const MAX_EDIT_FAILURES = 5;

export interface ConsoleManagerOptions {
  intervalMs: number;
  /** How long a message is edited on one interaction token (Discord: 15 min). */
  messageLifetimeMs: number;
  idleMs: number;
  retryDelayMs: number;
  logger: Logger;
  /** For server names in messages (no API call). */
  userCaches: UserCaches;
}

/** What a failure means for the person watching (never a stack trace). */
function explain(error: unknown, logger: Logger): string {
  const presented = presentError(error);
  if (presented) return presented.text;
  const errorId = newErrorId();
  logger.error({ err: error, errorId }, 'Console failure');
  return `Something went wrong on our side (error id \`${errorId}\`).`;
}

/**
 * Every live console of the bot: one upstream stream per (user, server)
 * shared by that user's messages for that server, each message edited by
 * its own scheduler. In Context as `ctx.consoles`.
 */
export class ConsoleManager {
  readonly #options: ConsoleManagerOptions;
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #opening = new Map<string, Promise<ConsoleSession>>();
  /** Live and recently ended messages, by view id. */
  readonly #views = new Map<string, ConsoleView>();
  /** Live messages by interaction token (rate-limit signals name the token). */
  readonly #byToken = new Map<string, ConsoleView>();
  /** Ended messages in the order they ended, with their forget timer. */
  readonly #ended = new Map<string, NodeJS.Timeout>();
  #closing = false;

  constructor(options: ConsoleManagerOptions) {
    this.#options = options;
  }

  get openSessions(): number {
    return this.#sessions.size;
  }

  get liveViews(): number {
    return this.#byToken.size;
  }

  /**
   * Listens to discord.js's REST events so each message's scheduler slows
   * down on its own bucket's signals: X-RateLimit-Remaining 0 waits for the
   * reset, a 429 backs off.
   */
  attachRest(rest: REST): void {
    rest.on('response', (request, response) => {
      const token = /^\/webhooks\/\d+\/([^/?]+)/.exec(request.path)?.[1];
      const view = token ? this.#byToken.get(token) : undefined;
      if (!view) return;
      const seconds = (name: string): number => Number(response.headers.get(name) ?? Number.NaN) * 1000;
      if (response.status === 429) {
        const retryAfter = seconds('retry-after');
        view.scheduler.rateLimited(Number.isFinite(retryAfter) ? retryAfter : 1000);
      } else if (response.headers.get('x-ratelimit-remaining') === '0') {
        const resetAfter = seconds('x-ratelimit-reset-after');
        if (Number.isFinite(resetAfter)) view.scheduler.bucketExhausted(resetAfter);
      }
    });
    rest.on('rateLimited', (info: RateLimitData) => {
      if (info.global) return;
      const token = info.majorParameter.split('/')[1];
      const view = token ? this.#byToken.get(token) : undefined;
      view?.scheduler.bucketExhausted(info.timeToReset);
    });
  }

  // --- opening ---------------------------------------------------------------

  /** `/console stream`: a new console message, on the user's stream for the server (opened if needed). */
  async open(
    interaction: ChatInputCommandInteraction,
    ctx: Context,
    serverId: string,
    isPublic: boolean,
  ): Promise<void> {
    this.#refuseWhileClosing();
    await defer(interaction, { ephemeral: !isPublic });
    const api = await userApi(interaction.user, ctx);
    let session: ConsoleSession;
    try {
      session = await this.#sessionFor(interaction.user.id, serverId, api, ctx);
    } catch (error) {
      if (error instanceof AtomicHostError && error.code === 'too_many_streams') {
        await respond(interaction, this.limitAnswer(interaction.user.id, error));
        return;
      }
      throw error;
    }
    const view = this.#newView(interaction, serverId, isPublic);
    this.#attach(view, session);
    ctx.logger.info({ serverId, viewId: view.id, sessionId: session.id, isPublic }, 'Console opened');
  }

  /** *Reconnect*: the same message goes live again on the button's own (fresh) interaction token. */
  async reconnect(
    interaction: ButtonInteraction,
    ctx: Context,
    target: { viewId: string; serverId: string; isPublic: boolean },
  ): Promise<void> {
    this.#refuseWhileClosing();
    const existing = this.#views.get(target.viewId);
    if (existing?.state === 'live') throw new UserError('This console is already live.', 'Already live');
    await interaction.deferUpdate();
    let session: ConsoleSession;
    try {
      // After the acknowledgement: a slow key store can't make Discord's 3 s pass.
      const api = await userApi(interaction.user, ctx);
      session = await this.#sessionFor(interaction.user.id, target.serverId, api, ctx);
    } catch (error) {
      const answer =
        error instanceof AtomicHostError && error.code === 'too_many_streams'
          ? this.limitAnswer(interaction.user.id, error)
          : { embeds: [errorEmbed(explain(error, ctx.logger), 'Could not reconnect')], components: [] };
      await interaction.followUp({ ...answer, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }
    let view = this.#views.get(target.viewId);
    if (view && view.state === 'ended' && view.invokerId === interaction.user.id) {
      await view.finalEdit;
      this.#unretain(view);
      view.rebind(interaction);
    } else {
      view = this.#newView(interaction, target.serverId, target.isPublic);
    }
    this.#attach(view, session);
    ctx.logger.info(
      { serverId: target.serverId, viewId: view.id, sessionId: session.id },
      'Console reconnected',
    );
  }

  #refuseWhileClosing(): void {
    if (this.#closing) throw new UserError('Hostlink is restarting — open the console again in a moment.');
  }

  #newView(interaction: ViewInteraction, serverId: string, isPublic: boolean): ConsoleView {
    return new ConsoleView(
      interaction,
      {
        invokerId: interaction.user.id,
        serverId,
        serverName: knownServerName(this.#options.userCaches, interaction.user.id, serverId),
        isPublic,
        intervalMs: this.#options.intervalMs,
      },
      (view, payload) => this.#send(view, payload),
      (view, error) => this.#sendFailed(view, error),
    );
  }

  /** The user's live stream for the server, or a new one (one open at a time per user and server). */
  async #sessionFor(
    userId: string,
    serverId: string,
    api: AtomicHostApi,
    ctx: Context,
  ): Promise<ConsoleSession> {
    const key = sessionKey(userId, serverId);
    const live = this.#sessions.get(key);
    if (live && !live.ending) return live;
    const pending = this.#opening.get(key);
    if (pending) return pending;
    const opening = (async () => {
      const stream = await api.openConsole(serverId);
      const session = new ConsoleSession(userId, serverId);
      this.#start(session, stream, ctx);
      return session;
    })();
    this.#opening.set(key, opening);
    try {
      return await opening;
    } finally {
      this.#opening.delete(key);
    }
  }

  #start(session: ConsoleSession, stream: ConsoleStream, ctx: Context): void {
    session.stream = stream;
    session.limits = stream.limits;
    this.#sessions.set(session.key, session);
    this.#armIdle(session);
    void this.#consume(session, stream, ctx);
  }

  #attach(view: ConsoleView, session: ConsoleSession): void {
    if (session.ending) {
      // The stream ended between opening and showing it.
      view.snapshot = { ...session.snapshot(), streamState: 'ended' };
      this.#views.set(view.id, view);
      this.#byToken.set(view.token, view);
      void this.endView(view, session.endedWith ?? { text: 'The stream ended at once.', reconnect: true });
      return;
    }
    view.session = session;
    view.snapshot = session.snapshot();
    // A new message on a stream already shown elsewhere starts with the recent output, not blank.
    const shown = [...session.views].at(-1);
    if (shown && view.ring.lines.length === 0) for (const line of shown.ring.lines) view.ring.push(line);
    view.log.follow(session.transcript);
    session.views.add(view);
    this.#endOldestBeyondCap(session);
    this.#views.set(view.id, view);
    this.#byToken.set(view.token, view);
    const left = this.#options.messageLifetimeMs - (Date.now() - view.tokenCreatedAt);
    view.tokenTimer = setTimeout(
      () =>
        void this.endView(view, {
          text: `Discord lets a bot update a message for 15 minutes only, so this one stopped after ${formatDuration(this.#options.messageLifetimeMs, 'up')}.`,
          reconnect: true,
        }),
      Math.max(0, left),
    );
    view.tokenTimer.unref();
    view.scheduler.markDirty();
  }

  /** Each live message costs edits and memory: past the cap, the oldest on the stream ends. */
  #endOldestBeyondCap(session: ConsoleSession): void {
    for (const oldest of [...session.views].slice(0, -MAX_LIVE_VIEWS_PER_STREAM)) {
      void this.endView(oldest, {
        text: `You opened this console in a newer message, and Hostlink keeps at most ${MAX_LIVE_VIEWS_PER_STREAM} live messages per server for you, so this one, the oldest, stopped.`,
        reconnect: true,
      });
    }
  }

  // --- the stream --------------------------------------------------------------

  async #consume(session: ConsoleSession, stream: ConsoleStream, ctx: Context): Promise<void> {
    let reason = 'connection_lost';
    try {
      for await (const event of stream) {
        if (event.type === 'closed') {
          reason = event.reason;
          break;
        }
        session.apply(event);
      }
    } catch (error) {
      ctx.logger.warn({ err: error, sessionId: session.id }, 'Console stream failed');
    }
    if (session.ending || session.stream !== stream) return;
    session.stream = undefined;
    ctx.logger.info({ sessionId: session.id, reason, serverId: session.serverId }, 'Console stream closed');
    if (reason === 'connection_lost' && session.retries < MAX_AUTO_RETRIES && !this.#closing) {
      session.retries += 1;
      session.state = 'retrying';
      session.notice(`Connection lost — reconnecting (a new stream costs ${STREAM_COST} credits)…`);
      session.publish();
      const delay = this.#options.retryDelayMs * (1 + Math.random() * 0.5);
      session.retryTimer = setTimeout(() => void this.#retry(session, ctx), delay);
      session.retryTimer.unref();
      return;
    }
    await this.endSession(session, await this.#describeClose(session, reason, ctx));
  }

  async #retry(session: ConsoleSession, ctx: Context): Promise<void> {
    session.retryTimer = undefined;
    if (session.ending || session.views.size === 0) return;
    try {
      // The key is looked up again: it may have been replaced meanwhile.
      const api = await userApi({ id: session.userId }, ctx);
      const stream = await api.openConsole(session.serverId);
      if (session.ending) {
        stream.close();
        return;
      }
      session.state = 'connecting';
      session.notice('Reconnected.');
      this.#start(session, stream, ctx);
      session.publish();
    } catch (error) {
      await this.endSession(session, {
        text: `The connection was lost and reconnecting failed: ${explain(error, ctx.logger)}`,
        reconnect: true,
      });
    }
  }

  async #describeClose(session: ConsoleSession, reason: string, ctx: Context): Promise<Ending> {
    const said = plain(sanitizeUpstreamMessage(reason), 100);
    switch (reason) {
      case 'max_duration':
        return { text: 'AtomicHost closed the stream at its maximum duration.', reconnect: true };
      case 'access_revoked':
        return {
          text: 'You no longer have console access to this server, so AtomicHost closed the stream.',
          reconnect: true,
        };
      case 'connection_lost':
        return { text: 'The connection to AtomicHost was lost.', reconnect: true };
      case LINE_TOO_LONG:
        return {
          text: 'The console sent a line too long to show (over 1 MiB), so Hostlink closed the stream.',
          reconnect: true,
        };
      case 'key_revoked':
      case 'invalid_key':
      case 'account_banned': {
        // Ask AtomicHost whether the key is dead; a dead key is deleted (see handleRevocation).
        try {
          const api = await userApi({ id: session.userId }, ctx);
          await api.me();
        } catch (error) {
          return { text: explain(error, ctx.logger), reconnect: true };
        }
        return { text: `AtomicHost closed the stream (${said}).`, reconnect: true };
      }
      default:
        return { text: `AtomicHost closed the stream (${said || 'no reason given'}).`, reconnect: true };
    }
  }

  #armIdle(session: ConsoleSession): void {
    clearTimeout(session.idleTimer);
    const check = (): void => {
      if (session.ending) return;
      const quiet = Date.now() - session.lastOutputAt;
      if (quiet >= this.#options.idleMs) {
        void this.endSession(session, {
          text: `No output for ${formatDuration(this.#options.idleMs, 'up')}, so the stream was closed to save your streams and credits.`,
          reconnect: true,
        });
        return;
      }
      session.idleTimer = setTimeout(check, this.#options.idleMs - quiet);
      session.idleTimer.unref();
    };
    session.lastOutputAt = Date.now();
    session.idleTimer = setTimeout(check, this.#options.idleMs);
    session.idleTimer.unref();
  }

  // --- editing -----------------------------------------------------------------

  async #send(view: ConsoleView, payload: EditPayload): Promise<void> {
    for (const embed of payload.embeds) {
      if (!mentionFree(embed)) {
        // render.ts neutralises every mention; reaching this is a bug, never a ping.
        this.#options.logger.error({ viewId: view.id }, 'A console edit held a mention; it was not sent');
        throw new Error('console edit held a mention');
      }
    }
    await view.interaction.editReply({ ...payload, allowedMentions: NO_MENTIONS });
    view.consecutiveFailures = 0;
  }

  #sendFailed(view: ConsoleView, error: unknown): 'stop' | 'retry' {
    const gone =
      isHarmlessDiscordError(error) ||
      (error instanceof DiscordAPIError && (error.status === 401 || error.status === 404));
    view.consecutiveFailures += 1;
    if (gone || view.consecutiveFailures >= MAX_EDIT_FAILURES) {
      this.#options.logger.info(
        { err: error, viewId: view.id },
        gone ? 'Console message is gone; closing it' : 'Console message keeps failing; closing it',
      );
      queueMicrotask(
        () =>
          void this.endView(view, { text: 'The message could no longer be edited.', reconnect: true }, true),
      );
      return 'stop';
    }
    this.#options.logger.warn(
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
    if (view.state === 'ended') return view.finalEdit ?? Promise.resolve();
    view.state = 'ended';
    view.ending = ending;
    view.endedAt = new Date();
    clearTimeout(view.tokenTimer);
    const session = view.session;
    view.session = undefined;
    if (session) {
      session.views.delete(view);
      view.log.stop();
      view.snapshot = { ...session.snapshot(), streamState: 'ended' };
      if (session.views.size === 0) this.#closeSession(session);
    }
    this.#retain(view);
    const token = view.token;
    const scheduler = view.scheduler;
    const done = silent ? (scheduler.stop(), Promise.resolve()) : scheduler.finish();
    view.finalEdit = done.finally(() => {
      if (this.#byToken.get(token) === view && view.state === 'ended') this.#byToken.delete(token);
    });
    return view.finalEdit;
  }

  /** Ends a stream and every message on it. */
  async endSession(session: ConsoleSession, ending: Ending): Promise<void> {
    session.ending = true;
    session.endedWith ??= ending;
    const finals = [...session.views].map((view) => this.endView(view, ending));
    this.#closeSession(session);
    await Promise.allSettled(finals);
  }

  #closeSession(session: ConsoleSession): void {
    session.ending = true;
    session.state = 'ended';
    session.clearTimers();
    if (this.#sessions.get(session.key) === session) this.#sessions.delete(session.key);
    session.stream?.close();
    session.stream = undefined;
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
      .filter((view) => view.state === 'live')
      .map((view) => this.endView(view, { text, reconnect: true }));
    for (const session of [...this.#sessions.values()]) this.#closeSession(session);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([Promise.allSettled(finals), deadline]);
    clearTimeout(timer);
    for (const forget of this.#ended.values()) clearTimeout(forget);
  }

  #retain(view: ConsoleView): void {
    this.#unretain(view);
    const timer = setTimeout(() => {
      this.#ended.delete(view.id);
      if (this.#views.get(view.id) === view && view.state === 'ended') this.#views.delete(view.id);
    }, LOG_RETENTION_MS);
    timer.unref();
    this.#ended.set(view.id, timer);
    while (this.#ended.size > MAX_ENDED_VIEWS) {
      const [oldest, oldTimer] = this.#ended.entries().next().value as [string, NodeJS.Timeout];
      clearTimeout(oldTimer);
      this.#ended.delete(oldest);
      if (this.#views.get(oldest)?.state === 'ended') this.#views.delete(oldest);
    }
  }

  #unretain(view: ConsoleView): void {
    const timer = this.#ended.get(view.id);
    if (timer) clearTimeout(timer);
    this.#ended.delete(view.id);
    if (this.#byToken.get(view.token) === view) this.#byToken.delete(view.token);
  }

  // --- buttons -------------------------------------------------------------------

  view(id: string): ConsoleView | undefined {
    return this.#views.get(id);
  }

  /** The user's live stream for a server, if any (to echo a command into it). */
  sessionOf(userId: string, serverId: string): ConsoleSession | undefined {
    const session = this.#sessions.get(sessionKey(userId, serverId));
    return session && !session.ending ? session : undefined;
  }

  sessionsOf(userId: string): ConsoleSession[] {
    return [...this.#sessions.values()].filter((s) => s.userId === userId && !s.ending);
  }

  sessionById(id: string): ConsoleSession | undefined {
    return [...this.#sessions.values()].find((s) => s.id === id && !s.ending);
  }

  /** The answer at the account's stream limit: what Hostlink holds, with a Stop button for each. */
  limitAnswer(
    userId: string,
    error?: AtomicHostError,
    note?: string,
  ): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
    const sessions = this.sessionsOf(userId).slice(0, 5);
    const lines = sessions.map((s) => {
      const name = knownServerName(this.#options.userCaches, userId, s.serverId);
      const label = name ? `**${plain(name, 60)}** (#${s.serverId})` : `server #${s.serverId}`;
      const views = s.views.size;
      return `• ${label} — open ${formatDuration(Date.now() - s.openedAt)}, shown in ${views} ${views === 1 ? 'message' : 'messages'}`;
    });
    const held =
      sessions.length === 0
        ? 'None of them is held by Hostlink: they are open elsewhere (the AtomicHost website or another tool) and close on their own when their time is up.'
        : `Hostlink holds ${sessions.length === 1 ? 'this one' : 'these'} for you — stop one to open another:\n${lines.join('\n')}`;
    const credits = error?.limits?.credits;
    const description = [
      note,
      `AtomicHost allows 3 console streams per account at a time, and yours are all open. ${held}`,
    ]
      .filter(Boolean)
      .join('\n\n');
    const embed: APIEmbed = {
      title: 'Too many console streams',
      description,
      color: Colors.warning,
      ...(credits ? { footer: { text: `${credits.remaining} of ${credits.limit} credits left today` } } : {}),
    };
    const buttons: APIButtonComponent[] = sessions.map((s) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Danger,
      label: `Stop #${s.serverId}`.slice(0, 80),
      custom_id: consoleCustomId({
        action: 'stopsession',
        id: s.id,
        serverId: s.serverId,
        invokerId: userId,
        isPublic: false,
      }),
    }));
    return {
      embeds: fitEmbeds([embed]),
      components: buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
    };
  }

  /** The log file of a message: a header stating the bound, then the kept lines without colours. */
  logFile(view: ConsoleView): { name: string; data: Buffer } {
    return consoleLogFile(view);
  }
}
