import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { Clock } from '../clock.js';
import { encodeCustomId } from '../bot/custom-id.js';
import { plain } from '../text.js';
import { EditScheduler } from './scheduler.js';
import { fitEmbeds } from '../bot/embed-limits.js';
import { LineRing } from './line-ring.js';
import { ViewLog } from './view-log.js';
import { STREAM_COST, consoleEmbed, type ConsoleStatus, type Ending } from './view-embed.js';
import type { ConsoleSession } from './session.js';
import { newId, type SessionView, type ViewSnapshot } from './session-view.js';

/** Component name of every console button and modal (custom id `console:<action>:…`). */
export const CONSOLE_COMPONENT = 'console';

export type ConsoleAction =
  'cmd' | 'start' | 'restart' | 'stop' | 'kill' | 'close' | 'reconnect' | 'log' | 'cmdsubmit' | 'stopsession';

/**
 * What a console button carries, so it still works (and refuses strangers) after a restart.
 * Deliberately packed into the custom id, unlike the `name:key` ids of the state store
 * (src/state/store.ts): a console message outlives the process (ended views stay up, and
 * Reconnect / power buttons must keep working after a restart), and the store is cleared on stop.
 */
export interface ConsoleButtonState {
  action: ConsoleAction;
  /** The view (message) id, or the session id for `stopsession`. */
  id: string;
  serverId: string;
  invokerId: string;
  isPublic: boolean;
}

export function consoleCustomId(state: ConsoleButtonState): string {
  return encodeCustomId(
    CONSOLE_COMPONENT,
    state.action,
    state.id,
    state.serverId,
    state.invokerId,
    state.isPublic ? 1 : 0,
  );
}

export function parseConsoleState(state: string[]): ConsoleButtonState | undefined {
  const [action, id, serverId, invokerId, isPublic] = state;
  if (!action || !id || serverId === undefined || !invokerId) return undefined;
  return { action: action as ConsoleAction, id, serverId, invokerId, isPublic: isPublic === '1' };
}

/** The interaction whose token edits the message (the command, or a Reconnect press). */
export type ViewInteraction = ChatInputCommandInteraction | ButtonInteraction;

/** Where a message's edits go (Discord, through its interaction token), and who hears of its trouble. */
export interface ViewOutput {
  clock: Clock;
  intervalMs: number;
  /** How long one interaction token may edit the message. */
  lifetimeMs: number;
  edit(view: ConsoleView, payload: EditPayload): Promise<void>;
  /** A failed edit, the `failures`-th in a row: 'stop' gives the message up. */
  editFailed(view: ConsoleView, error: unknown, failures: number): 'stop' | 'retry';
  /** The token's lifetime is up. */
  expired(view: ConsoleView): void;
}

export interface ViewOptions {
  invokerId: string;
  serverId: string;
  serverName: string | undefined;
  isPublic: boolean;
}

/**
 * One console message: its lines (a ring for the embed; for the log, the
 * stretches of its streams' transcripts it showed), how it looks, and the
 * scheduler that edits it through its interaction token.
 *
 * A state machine: connecting / live / retrying follow the stream it shows;
 * `end()` makes it ending (its final edit on the way), then ended; a
 * Reconnect (`rebind`) makes an ended message connecting again.
 */
export class ConsoleView implements SessionView {
  readonly id = newId();
  readonly invokerId: string;
  readonly serverId: string;
  readonly serverName: string | undefined;
  readonly isPublic: boolean;
  readonly ring = new LineRing();
  readonly log = new ViewLog();
  readonly startedAt: Date;
  readonly #output: ViewOutput;
  #status: ConsoleStatus = 'connecting';
  #ending: Ending | undefined;
  #endedAt: Date | undefined;
  #interaction: ViewInteraction;
  #scheduler: EditScheduler<EditPayload>;
  #snapshot: Omit<ViewSnapshot, 'streamState'> = {
    powerState: undefined,
    stats: undefined,
    limits: undefined,
  };
  #linesReceived = 0;
  #failures = 0;
  #lifetimeTimer: unknown;
  #session: ConsoleSession<ConsoleView> | undefined;
  #finalEdit: Promise<void> | undefined;

  constructor(interaction: ViewInteraction, options: ViewOptions, output: ViewOutput) {
    this.#output = output;
    this.invokerId = options.invokerId;
    this.serverId = options.serverId;
    this.serverName = options.serverName;
    this.isPublic = options.isPublic;
    this.startedAt = new Date(output.clock.wallNow());
    this.#interaction = interaction;
    this.#scheduler = this.#newScheduler();
  }

  #newScheduler(): EditScheduler<EditPayload> {
    return new EditScheduler<EditPayload>({
      intervalMs: this.#output.intervalMs,
      render: () => this.render(),
      send: async (payload) => {
        await this.#output.edit(this, payload);
        this.#failures = 0;
      },
      onError: (error) => this.#output.editFailed(this, error, ++this.#failures),
      clock: this.#output.clock,
    });
  }

  get status(): ConsoleStatus {
    return this.#status;
  }

  /** Ending or ended: no longer follows a stream. */
  get isOver(): boolean {
    return this.#status === 'ending' || this.#status === 'ended';
  }

  get ending(): Ending | undefined {
    return this.#ending;
  }

  get endedAt(): Date | undefined {
    return this.#endedAt;
  }

  get interaction(): ViewInteraction {
    return this.#interaction;
  }

  /** The interaction token: what Discord's per-message rate-limit bucket is keyed by. */
  get token(): string {
    return this.#interaction.token;
  }

  /** The stream this message shows while not over. */
  get session(): ConsoleSession<ConsoleView> | undefined {
    return this.#session;
  }

  /** Lines this message has received, over all its streams. */
  get linesReceived(): number {
    return this.#linesReceived;
  }

  /** Settles once the final edit is done (or given up); undefined while not over. */
  get finalEdit(): Promise<void> | undefined {
    return this.#finalEdit;
  }

  /** Discord's REST signals for this message's bucket (see rest-signals.ts). */
  rateLimited(ms: number): void {
    this.#scheduler.rateLimited(ms);
  }

  bucketExhausted(ms: number): void {
    this.#scheduler.bucketExhausted(ms);
  }

  /**
   * Starts showing a stream: the recent output of a message already showing
   * it (not blank), the stream's transcript for the log, and an end when the
   * interaction token's lifetime is up.
   */
  show(session: ConsoleSession<ConsoleView>): void {
    const shown = [...session.views].at(-1);
    if (shown && this.ring.lines.length === 0) for (const line of shown.ring.lines) this.ring.push(line);
    this.#session = session;
    this.log.follow(session.transcript);
    session.addView(this);
    const { clock, lifetimeMs } = this.#output;
    const left = lifetimeMs - (clock.wallNow() - this.#interaction.createdTimestamp);
    clock.clearTimeout(this.#lifetimeTimer);
    this.#lifetimeTimer = clock.setTimeout(() => this.#output.expired(this), Math.max(0, left));
    this.update(session.snapshot());
  }

  /** The stream's state changed: shown in the next edit. */
  update(snapshot: ViewSnapshot): void {
    const { streamState, ...rest } = snapshot;
    this.#snapshot = rest;
    if (!this.isOver && streamState !== 'ending' && streamState !== 'ended') this.#status = streamState;
    this.#scheduler.markDirty();
  }

  pushLine(display: string): void {
    this.ring.push(display);
    this.#linesReceived += 1;
    this.#scheduler.markDirty();
  }

  /**
   * Ends the message: its final edit (unless `silent`, when it cannot be
   * edited any more) shows why, with Reconnect / Download log. Returns the
   * final edit; ending twice returns the first one.
   */
  end(ending: Ending, silent = false): Promise<void> {
    if (this.#finalEdit && this.isOver) return this.#finalEdit;
    this.#status = 'ending';
    this.#ending = ending;
    this.#endedAt = new Date(this.#output.clock.wallNow());
    this.#output.clock.clearTimeout(this.#lifetimeTimer);
    const session = this.#session;
    this.#session = undefined;
    if (session) {
      session.removeView(this);
      this.log.stop();
      const { streamState: _, ...rest } = session.snapshot();
      this.#snapshot = rest;
    }
    const scheduler = this.#scheduler;
    const done = silent ? (scheduler.stop(), Promise.resolve()) : scheduler.finish();
    this.#finalEdit = done.finally(() => {
      if (this.#scheduler === scheduler) this.#status = 'ended';
    });
    return this.#finalEdit;
  }

  /** Moves an ended message onto a new interaction token (Reconnect): connecting again. */
  rebind(interaction: ViewInteraction): void {
    this.#scheduler.stop();
    this.#interaction = interaction;
    this.#status = 'connecting';
    this.#ending = undefined;
    this.#endedAt = undefined;
    this.#finalEdit = undefined;
    this.#failures = 0;
    this.#scheduler = this.#newScheduler();
  }

  #button(action: ConsoleAction, label: string, style: ButtonStyle, disabled = false): APIButtonComponent {
    return {
      type: ComponentType.Button,
      style: style as ButtonStyle.Primary,
      label,
      custom_id: consoleCustomId({
        action,
        id: this.id,
        serverId: this.serverId,
        invokerId: this.invokerId,
        isPublic: this.isPublic,
      }),
      disabled,
    };
  }

  components(): APIActionRowComponent<APIButtonComponent>[] {
    const controls: APIButtonComponent[] = [
      this.#button('cmd', 'Send command', ButtonStyle.Primary),
      this.#button('start', 'Start', ButtonStyle.Success),
      this.#button('restart', 'Restart', ButtonStyle.Secondary),
      this.#button('stop', 'Stop', ButtonStyle.Danger),
      this.#button('kill', 'Kill', ButtonStyle.Danger),
    ];
    const session: APIButtonComponent[] = !this.isOver
      ? [this.#button('close', 'Stop stream', ButtonStyle.Secondary)]
      : [
          ...(this.#ending?.reconnect === false
            ? []
            : [this.#button('reconnect', `Reconnect (${STREAM_COST} credits)`, ButtonStyle.Primary)]),
          this.#button('log', 'Download log', ButtonStyle.Secondary),
        ];
    return [
      { type: ComponentType.ActionRow, components: controls },
      { type: ComponentType.ActionRow, components: session },
    ];
  }

  title(): string {
    return this.serverName
      ? `Console · ${plain(this.serverName, 100)} (#${this.serverId})`
      : `Console · server #${this.serverId}`;
  }

  embed(): APIEmbed {
    return consoleEmbed({
      ...this.#snapshot,
      title: this.title(),
      status: this.#status,
      ending: this.#ending,
      lines: this.ring.lines,
      linesReceived: this.#linesReceived,
    });
  }

  render(): EditPayload {
    return { embeds: fitEmbeds([this.embed()]), components: this.components() };
  }
}

export interface EditPayload {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}
