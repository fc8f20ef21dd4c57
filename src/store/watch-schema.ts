/**
 * Row types of the watch tables (panels, pollers, leases, schedules,
 * reminders) in the relational store. Epoch-millisecond columns are bigint,
 * which both engines hand back as numbers (see database.ts).
 */

export interface WatchPanelsTable {
  id: string;
  owner_id: string;
  server_id: string;
  server_name: string;
  guild_id: string | null;
  channel_id: string;
  message_id: string | null;
  interval_ms: number;
  alert_role_id: string | null;
  rendered: string | null;
  created_at: number;
}

export interface WatchPollersTable {
  server_key: string;
  last_state: string | null;
  stable_state: string | null;
  state_since: number | null;
  failures: number;
  unreachable_alerted: number;
  due_date: string | null;
  due_checked_at: number | null;
}

/** Which process polls a server: one row per watched server, shared by every process. */
export interface WatchLeasesTable {
  server_key: string;
  /** The holding process's instance id; null once released. */
  owner: string | null;
  /** Wall ms after which another process may take the lease over. */
  expires_at: number;
  /** Wall ms of the holder's next planned check, so a successor keeps the cadence. */
  next_check_at: number | null;
}

export interface ScheduleActionsTable {
  id: string;
  owner_id: string;
  server_id: string;
  server_name: string;
  signal: string;
  run_at: number;
  warn: number;
  channel_id: string | null;
  status: string;
  created_at: number;
  /** The smallest warning offset (ms before run_at) some process claimed; null before the first. */
  warned_ms: number | null;
  /** Wall ms when a process moved it to `sending`; null on rows of older releases. */
  sending_since: number | null;
}

export interface ReminderOptinsTable {
  owner_id: string;
  server_id: string;
  server_name: string;
  before_ms: number;
  due_date: string | null;
  sent_for_due: string | null;
}

export interface ReminderAccountsTable {
  owner_id: string;
  checked_at: number;
}

/** The watch feature's view of the store: only these tables. */
export interface WatchTables {
  watch_panels: WatchPanelsTable;
  watch_pollers: WatchPollersTable;
  watch_leases: WatchLeasesTable;
  schedule_actions: ScheduleActionsTable;
  reminder_optins: ReminderOptinsTable;
  reminder_accounts: ReminderAccountsTable;
}
