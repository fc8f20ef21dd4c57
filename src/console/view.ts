import { randomBytes } from 'node:crypto';
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { ConsoleStats } from '../atomichost/schemas.js';
import type { Limits } from '../atomichost/limits.js';
import { Colors } from '../bot/style.js';
import { encodeCustomId } from '../bot/custom-id.js';
import { creditsText } from '../user/footer.js';
import { formatBytes, plain } from '../text.js';
import { formatCount } from '../format.js';
import { renderConsoleEmbed } from './render.js';
import { EditScheduler, type Clock } from './scheduler.js';
import { fitEmbeds } from '../bot/embed-limits.js';
import { TRANSCRIPT_BOUND_TEXT } from './transcript.js';
import { ViewLog } from './view-log.js';
import type { ConsoleSession } from './session.js';

/** Opening a console stream costs this many AtomicHost credits (spec). */
export const STREAM_COST = 5;

/** Component name of every console button and modal (custom id `console:<action>:…`). */
export const CONSOLE_COMPONENT = 'console';

export type ConsoleAction =
  'cmd' | 'start' | 'restart' | 'stop' | 'kill' | 'close' | 'reconnect' | 'log' | 'cmdsubmit' | 'stopsession';

/** What a console button carries, so it still works (and refuses strangers) after a restart. */
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

export function newId(): string {
  return randomBytes(6).toString('base64url');
}

/** Recent display lines, bounded by count and characters (a little more than one embed needs). */
export class LineRing {
  #lines: string[] = [];
  #chars = 0;
  constructor(
    readonly maxLines = 1_000,
    readonly maxChars = 6_000,
  ) {}

  push(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length + 1;
    if (this.#lines.length > this.maxLines * 2 || this.#chars > this.maxChars * 2) this.#trim();
  }

  #trim(): void {
    let drop = 0;
    let chars = this.#chars;
    while (
      drop < this.#lines.length - 1 &&
      (this.#lines.length - drop > this.maxLines || chars > this.maxChars)
    ) {
      chars -= this.#lines[drop]!.length + 1;
      drop += 1;
    }
    this.#lines.splice(0, drop);
    this.#chars = chars;
  }

  get lines(): readonly string[] {
    return this.#lines;
  }
}

export type ViewState = 'live' | 'ended';

/** The interaction whose token edits the message (the command, or a Reconnect press). */
export type ViewInteraction = ChatInputCommandInteraction | ButtonInteraction;

export interface ViewSnapshot {
  streamState: 'connecting' | 'live' | 'retrying' | 'ended';
  powerState: string | undefined;
  stats: ConsoleStats | undefined;
  limits: Limits | undefined;
}

export interface Ending {
  /** One or two sentences for the "Stream ended" field. */
  text: string;
  /** Offer Reconnect (false when reconnecting cannot help, e.g. the key is gone). */
  reconnect: boolean;
}

const POWER_COLOURS: Record<string, number> = {
  running: Colors.success,
  starting: Colors.warning,
  stopping: 0xe67e22,
  offline: Colors.error,
};

const POWER_ICONS: Record<string, string> = {
  running: '🟢',
  starting: '🟡',
  stopping: '🟠',
  offline: '🔴',
};

export interface ViewOptions {
  invokerId: string;
  serverId: string;
  serverName: string | undefined;
  isPublic: boolean;
  intervalMs: number;
  clock?: Clock;
}

/**
 * One console message: its lines (a ring for the embed; for the log, the
 * stretches of its streams' transcripts it showed), how it looks, and the
 * scheduler that edits it through its interaction token.
 */
export class ConsoleView {
  readonly id = newId();
  readonly invokerId: string;
  readonly serverId: string;
  readonly serverName: string | undefined;
  readonly isPublic: boolean;
  readonly ring = new LineRing();
  readonly log = new ViewLog();
  readonly startedAt = new Date();
  state: ViewState = 'live';
  ending: Ending | undefined;
  endedAt: Date | undefined;
  interaction: ViewInteraction;
  /** When the interaction (and so its 15-minute token) was created, epoch ms. */
  tokenCreatedAt: number;
  scheduler: EditScheduler<EditPayload>;
  /** What the session last told this view (kept after the session is gone). */
  snapshot: ViewSnapshot = {
    streamState: 'connecting',
    powerState: undefined,
    stats: undefined,
    limits: undefined,
  };
  /** Lines this message has received, over all its streams. */
  linesReceived = 0;
  consecutiveFailures = 0;
  tokenTimer: NodeJS.Timeout | undefined;
  /** The stream this message shows while live. */
  session: ConsoleSession | undefined;
  /** Settles once the final edit is done (or given up). */
  finalEdit: Promise<void> | undefined;
  readonly #options: ViewOptions;

  constructor(
    interaction: ViewInteraction,
    options: ViewOptions,
    send: (view: ConsoleView, payload: EditPayload) => Promise<void>,
    onError: (view: ConsoleView, error: unknown) => 'stop' | 'retry',
  ) {
    this.#options = options;
    this.invokerId = options.invokerId;
    this.serverId = options.serverId;
    this.serverName = options.serverName;
    this.isPublic = options.isPublic;
    this.interaction = interaction;
    this.tokenCreatedAt = interaction.createdTimestamp;
    this.#send = send;
    this.#onError = onError;
    this.scheduler = this.#newScheduler();
  }

  readonly #send: (view: ConsoleView, payload: EditPayload) => Promise<void>;
  readonly #onError: (view: ConsoleView, error: unknown) => 'stop' | 'retry';

  #newScheduler(): EditScheduler<EditPayload> {
    return new EditScheduler<EditPayload>({
      intervalMs: this.#options.intervalMs,
      render: () => this.render(),
      send: (payload) => this.#send(this, payload),
      onError: (error) => this.#onError(this, error),
      ...(this.#options.clock ? { clock: this.#options.clock } : {}),
    });
  }

  /** Moves the message onto a new interaction token (Reconnect), live again. */
  rebind(interaction: ViewInteraction): void {
    this.scheduler.stop();
    this.interaction = interaction;
    this.tokenCreatedAt = interaction.createdTimestamp;
    this.state = 'live';
    this.ending = undefined;
    this.endedAt = undefined;
    this.consecutiveFailures = 0;
    this.snapshot = { ...this.snapshot, streamState: 'connecting' };
    this.scheduler = this.#newScheduler();
  }

  /** The interaction token: what Discord's per-message rate-limit bucket is keyed by. */
  get token(): string {
    return this.interaction.token;
  }

  pushLine(display: string): void {
    this.ring.push(display);
    this.linesReceived += 1;
    this.scheduler.markDirty();
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
    const session: APIButtonComponent[] =
      this.state === 'live'
        ? [this.#button('close', 'Stop stream', ButtonStyle.Secondary)]
        : [
            ...(this.ending?.reconnect === false
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

  #colour(): number {
    if (this.state === 'ended') return Colors.neutral;
    return POWER_COLOURS[this.snapshot.powerState ?? ''] ?? Colors.info;
  }

  #fields(): APIEmbedField[] {
    const fields: APIEmbedField[] = [];
    const { powerState, stats } = this.snapshot;
    if (powerState) {
      fields.push({
        name: 'State',
        value: `${POWER_ICONS[powerState] ?? '⚪'} ${plain(powerState, 40)}`,
        inline: true,
      });
    }
    if (stats) {
      fields.push({ name: 'CPU', value: `${stats.cpu_absolute.toFixed(1)} %`, inline: true });
      const memory = stats.memory_limit_bytes
        ? `${formatBytes(stats.memory_bytes)} / ${formatBytes(stats.memory_limit_bytes)}`
        : formatBytes(stats.memory_bytes);
      fields.push({ name: 'Memory', value: memory, inline: true });
      const disk = stats.disk_limit_bytes
        ? `${formatBytes(stats.disk_bytes)} / ${formatBytes(stats.disk_limit_bytes)}`
        : formatBytes(stats.disk_bytes);
      fields.push({ name: 'Disk', value: disk, inline: true });
    }
    if (this.state === 'ended' && this.ending) {
      const reconnect = this.ending.reconnect
        ? ` **Reconnect** opens a new stream for ${STREAM_COST} credits (free while this server's stream is open in another message of yours).`
        : '';
      fields.push({
        name: 'Stream ended',
        value: `${this.ending.text}${reconnect} **Download log** gives this message's whole output (${TRANSCRIPT_BOUND_TEXT} at most).`,
        inline: false,
      });
    }
    return fields;
  }

  #footer(): string {
    const lines = `${formatCount(this.linesReceived)} ${this.linesReceived === 1 ? 'line' : 'lines'}`;
    const state =
      this.state === 'ended'
        ? '■ Ended'
        : this.snapshot.streamState === 'connecting'
          ? '○ Connecting…'
          : this.snapshot.streamState === 'retrying'
            ? '◌ Connection lost — reconnecting…'
            : '● Live';
    const credits = creditsText(this.snapshot.limits);
    return [state, lines, credits].filter(Boolean).join(' · ');
  }

  embed(): APIEmbed {
    return renderConsoleEmbed({
      title: this.title(),
      colour: this.#colour(),
      lines: this.ring.lines,
      placeholder:
        this.state === 'ended' ? '*No output was received.*' : '*Connected — waiting for console output…*',
      fields: this.#fields(),
      footer: this.#footer(),
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
