import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Limits } from '../atomichost/limits.js';
import type { ConsoleStats } from '../atomichost/schemas.js';
import { Colors } from '../bot/style.js';
import { formatCount } from '../format.js';
import { creditsText } from '../user/footer.js';
import { formatBytes, plain } from '../text.js';
import { renderConsoleEmbed } from './render.js';
import { TRANSCRIPT_BOUND_TEXT } from './transcript.js';

/** Opening a console stream costs this many AtomicHost credits (spec). */
export const STREAM_COST = 5;

/** One status for a stream and for a message showing it. */
export type ConsoleStatus = 'connecting' | 'live' | 'retrying' | 'ending' | 'ended';

export interface Ending {
  /** One or two sentences for the "Stream ended" field. */
  text: string;
  /** Offer Reconnect (false when reconnecting cannot help, e.g. the key is gone). */
  reconnect: boolean;
}

/** Everything the console embed shows. */
export interface EmbedState {
  title: string;
  status: ConsoleStatus;
  powerState: string | undefined;
  stats: ConsoleStats | undefined;
  limits: Limits | undefined;
  ending: Ending | undefined;
  lines: readonly string[];
  linesReceived: number;
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

const isOver = (status: ConsoleStatus): boolean => status === 'ending' || status === 'ended';

function fields(state: EmbedState): APIEmbedField[] {
  const out: APIEmbedField[] = [];
  const { powerState, stats } = state;
  if (powerState) {
    out.push({
      name: 'State',
      value: `${POWER_ICONS[powerState] ?? '⚪'} ${plain(powerState, 40)}`,
      inline: true,
    });
  }
  if (stats) {
    out.push({ name: 'CPU', value: `${stats.cpu_absolute.toFixed(1)} %`, inline: true });
    const memory = stats.memory_limit_bytes
      ? `${formatBytes(stats.memory_bytes)} / ${formatBytes(stats.memory_limit_bytes)}`
      : formatBytes(stats.memory_bytes);
    out.push({ name: 'Memory', value: memory, inline: true });
    const disk = stats.disk_limit_bytes
      ? `${formatBytes(stats.disk_bytes)} / ${formatBytes(stats.disk_limit_bytes)}`
      : formatBytes(stats.disk_bytes);
    out.push({ name: 'Disk', value: disk, inline: true });
  }
  if (isOver(state.status) && state.ending) {
    const reconnect = state.ending.reconnect
      ? ` **Reconnect** opens a new stream for ${STREAM_COST} credits (free while this server's stream is open in another message of yours).`
      : '';
    out.push({
      name: 'Stream ended',
      value: `${state.ending.text}${reconnect} **Download log** gives this message's whole output (${TRANSCRIPT_BOUND_TEXT} at most).`,
      inline: false,
    });
  }
  return out;
}

const STATUS_TEXT: Record<ConsoleStatus, string> = {
  connecting: '○ Connecting…',
  live: '● Live',
  retrying: '◌ Connection lost — reconnecting…',
  ending: '■ Ended',
  ended: '■ Ended',
};

function footer(state: EmbedState): string {
  const lines = `${formatCount(state.linesReceived)} ${state.linesReceived === 1 ? 'line' : 'lines'}`;
  return [STATUS_TEXT[state.status], lines, creditsText(state.limits)].filter(Boolean).join(' · ');
}

/** The console embed of a message in its current state. */
export function consoleEmbed(state: EmbedState): APIEmbed {
  const over = isOver(state.status);
  return renderConsoleEmbed({
    title: state.title,
    colour: over ? Colors.neutral : (POWER_COLOURS[state.powerState ?? ''] ?? Colors.info),
    lines: state.lines,
    placeholder: over ? '*No output was received.*' : '*Connected — waiting for console output…*',
    fields: fields(state),
    footer: footer(state),
  });
}
