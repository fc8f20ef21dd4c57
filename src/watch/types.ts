import type { StopReason } from './panel.js';

/** What a watch is about, independent of how it is stored. */
export interface Panel {
  id: string;
  ownerId: string;
  serverId: string;
  serverName: string;
  guildId: string | null;
  channelId: string;
  messageId: string | null;
  intervalMs: number;
  alertRoleId: string | null;
  /** What the message shows now (JSON of its embed), null before it is posted. */
  rendered: string | null;
  createdAt: number;
  /** Set in memory when the panel stopped (not stored: the row is gone). */
  stoppedBecause?: StopReason;
}

/** What a poller remembers between checks (and across restarts). */
export interface PollerMemory {
  lastState: string | null;
  /** The last of running/offline/crashed seen: transitions are judged against it. */
  stableState: string | null;
  /** Wall ms since when `lastState` holds. */
  stateSince: number | null;
  failures: number;
  unreachableAlerted: boolean;
  dueDate: string | null;
  dueCheckedAt: number | null;
}

export const EMPTY_MEMORY: PollerMemory = {
  lastState: null,
  stableState: null,
  stateSince: null,
  failures: 0,
  unreachableAlerted: false,
  dueDate: null,
  dueCheckedAt: null,
};

export type ScheduleStatus = 'pending' | 'sending' | 'done' | 'missed' | 'cancelled';

export interface Schedule {
  id: string;
  ownerId: string;
  serverId: string;
  serverName: string;
  signal: 'start' | 'stop' | 'restart' | 'kill';
  runAt: number;
  warn: boolean;
  channelId: string | null;
  status: ScheduleStatus;
  createdAt: number;
}

export interface Reminder {
  ownerId: string;
  serverId: string;
  serverName: string;
  beforeMs: number;
  dueDate: string | null;
  sentForDue: string | null;
}
