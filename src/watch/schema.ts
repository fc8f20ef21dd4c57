/**
 * Row types of the watch tables. Epoch-millisecond columns are bigint, which
 * Postgres hands back as strings: the repository converts with Number().
 */
type Millis = number | string;

export interface WatchPanelsTable {
  id: string;
  owner_id: string;
  server_id: string;
  server_name: string;
  guild_id: string | null;
  channel_id: string;
  message_id: string | null;
  interval_ms: Millis;
  alert_role_id: string | null;
  rendered: string | null;
  created_at: Millis;
}

export interface WatchPollersTable {
  server_key: string;
  last_state: string | null;
  stable_state: string | null;
  state_since: Millis | null;
  failures: number;
  unreachable_alerted: number;
  due_date: string | null;
  due_checked_at: Millis | null;
}

export interface ScheduleActionsTable {
  id: string;
  owner_id: string;
  server_id: string;
  server_name: string;
  signal: string;
  run_at: Millis;
  warn: number;
  channel_id: string | null;
  status: string;
  created_at: Millis;
}

export interface ReminderOptinsTable {
  owner_id: string;
  server_id: string;
  server_name: string;
  before_ms: Millis;
  due_date: string | null;
  sent_for_due: string | null;
}

export interface ReminderAccountsTable {
  owner_id: string;
  checked_at: Millis;
}

export interface WatchDatabase {
  watch_panels: WatchPanelsTable;
  watch_pollers: WatchPollersTable;
  schedule_actions: ScheduleActionsTable;
  reminder_optins: ReminderOptinsTable;
  reminder_accounts: ReminderAccountsTable;
}
