import type { APIEmbed } from 'discord.js';
import type { ServerStatus } from '../atomichost/schemas.js';
import { Colors } from '../bot/style.js';
import { discordDate, formatBytes, plain } from '../text.js';
import { describeInterval } from './duration.js';

/** Everything a panel shows; the message is edited only when this changes. */
export interface PanelView {
  serverName: string;
  state: string | null;
  unreachable: boolean;
  stateSince: number | null;
  status: ServerStatus | null;
  dueDate: string | null;
  intervalMs: number;
  lowCredits: boolean;
}

const STATE_LOOK: Record<string, { icon: string; color: number }> = {
  running: { icon: '🟢', color: Colors.success },
  starting: { icon: '🟡', color: Colors.warning },
  stopping: { icon: '🟠', color: Colors.warning },
  offline: { icon: '🔴', color: Colors.error },
  crashed: { icon: '💥', color: 0x992d22 },
};

const seconds = (ms: number) => Math.floor(ms / 1000);

function usage(used: number, limit: number | undefined): string {
  return limit ? `${formatBytes(used)} of ${formatBytes(limit)}` : formatBytes(used);
}

export function renderPanel(view: PanelView): APIEmbed {
  const look = view.state ? STATE_LOOK[view.state] : undefined;
  const since = view.stateSince === null ? '' : `<t:${seconds(view.stateSince)}:R>`;
  const headline = view.unreachable
    ? `⚪ **unreachable**${since ? ` since ${since}` : ''}`
    : view.state === null
      ? '⚪ waiting for the first check'
      : `${look?.icon ?? '⚪'} **${plain(view.state, 30)}**${
          since ? ` · ${view.state === 'running' ? 'up' : 'down'} since ${since}` : ''
        }`;
  const cadence = view.lowCredits
    ? '⚠️ Under 10 % of today’s credits left: checked hourly until they reset.'
    : `Checked every ${describeInterval(view.intervalMs)}.`;
  const r = view.status?.resources;
  return {
    title: `Status of ${plain(view.serverName, 200)}`,
    color: view.unreachable ? Colors.neutral : (look?.color ?? Colors.neutral),
    description: `${headline}\n${cadence}`,
    fields: [
      ...(r && !view.unreachable
        ? [
            { name: 'CPU', value: `${r.cpu_absolute.toFixed(1)} %`, inline: true },
            { name: 'Memory', value: usage(r.memory_bytes, r.memory_limit_bytes ?? undefined), inline: true },
            { name: 'Disk', value: usage(r.disk_bytes, r.disk_limit_bytes ?? undefined), inline: true },
          ]
        : []),
      { name: 'Due', value: discordDate(view.dueDate, 'D'), inline: true },
    ],
  };
}

export type StopReason = 'unwatched' | 'key-gone' | 'server-gone' | 'channel-gone' | 'no-access';

export const STOP_TEXT: Record<StopReason, string> = {
  unwatched: 'Stopped: the watch was removed with `/server unwatch`.',
  'key-gone': 'Stopped: the owner’s AtomicHost API key was removed or revoked.',
  'server-gone': 'Stopped: the server no longer exists or is no longer reachable with this key.',
  'channel-gone': 'Stopped: the channel was deleted.',
  'no-access': 'Stopped: Hostlink lost access to this channel.',
};

export function renderStopped(serverName: string, reason: StopReason): APIEmbed {
  return {
    title: `Status of ${plain(serverName, 200)}`,
    color: Colors.neutral,
    description: `⏹️ ${STOP_TEXT[reason]}`,
  };
}
