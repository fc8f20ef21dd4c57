import type { Kysely, Selectable } from 'kysely';
import type { ScheduleActionsTable, WatchPanelsTable, WatchTables } from '../store/watch-schema.js';
import type { Panel, PollerMemory, Reminder, Schedule, ScheduleStatus } from './types.js';

const panelFrom = (r: Selectable<WatchPanelsTable>): Panel => ({
  id: r.id,
  ownerId: r.owner_id,
  serverId: r.server_id,
  serverName: r.server_name,
  guildId: r.guild_id,
  channelId: r.channel_id,
  messageId: r.message_id,
  intervalMs: Number(r.interval_ms),
  alertRoleId: r.alert_role_id,
  rendered: r.rendered,
  createdAt: Number(r.created_at),
});

const scheduleFrom = (r: Selectable<ScheduleActionsTable>): Schedule => ({
  id: r.id,
  ownerId: r.owner_id,
  serverId: r.server_id,
  serverName: r.server_name,
  signal: r.signal as Schedule['signal'],
  runAt: Number(r.run_at),
  warn: r.warn === 1,
  channelId: r.channel_id,
  status: r.status as ScheduleStatus,
  createdAt: Number(r.created_at),
});

/** Every statement about panels, pollers, schedules and reminders. */
export class WatchRepository {
  constructor(private readonly db: Kysely<WatchTables>) {}

  // Panels
  async addPanel(p: Panel): Promise<void> {
    await this.db
      .insertInto('watch_panels')
      .values({
        id: p.id,
        owner_id: p.ownerId,
        server_id: p.serverId,
        server_name: p.serverName,
        guild_id: p.guildId,
        channel_id: p.channelId,
        message_id: p.messageId,
        interval_ms: p.intervalMs,
        alert_role_id: p.alertRoleId,
        rendered: p.rendered,
        created_at: p.createdAt,
      })
      .execute();
  }

  async panels(): Promise<Panel[]> {
    const rows = await this.db.selectFrom('watch_panels').selectAll().orderBy('created_at').execute();
    return rows.map(panelFrom);
  }

  async panelsOf(ownerId: string, serverId: string): Promise<Panel[]> {
    const rows = await this.db
      .selectFrom('watch_panels')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('server_id', '=', serverId)
      .execute();
    return rows.map(panelFrom);
  }

  async panelsOfServer(serverId: string): Promise<Panel[]> {
    const rows = await this.db
      .selectFrom('watch_panels')
      .selectAll()
      .where('server_id', '=', serverId)
      .orderBy('created_at')
      .execute();
    return rows.map(panelFrom);
  }

  /** False when the panel is no longer stored (stopped by another process meanwhile). */
  async setPanelMessage(id: string, messageId: string, rendered: string): Promise<boolean> {
    const result = await this.db
      .updateTable('watch_panels')
      .set({ message_id: messageId, rendered })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async removePanel(id: string): Promise<void> {
    await this.db.deleteFrom('watch_panels').where('id', '=', id).execute();
  }

  // Pollers
  async memory(serverKey: string): Promise<PollerMemory | undefined> {
    const r = await this.db
      .selectFrom('watch_pollers')
      .selectAll()
      .where('server_key', '=', serverKey)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      lastState: r.last_state,
      stableState: r.stable_state,
      stateSince: r.state_since === null ? null : Number(r.state_since),
      failures: r.failures,
      unreachableAlerted: r.unreachable_alerted === 1,
      dueDate: r.due_date,
      dueCheckedAt: r.due_checked_at === null ? null : Number(r.due_checked_at),
    };
  }

  async saveMemory(serverKey: string, m: PollerMemory): Promise<void> {
    const values = {
      last_state: m.lastState,
      stable_state: m.stableState,
      state_since: m.stateSince,
      failures: m.failures,
      unreachable_alerted: m.unreachableAlerted ? 1 : 0,
      due_date: m.dueDate,
      due_checked_at: m.dueCheckedAt,
    };
    await this.db
      .insertInto('watch_pollers')
      .values({ server_key: serverKey, ...values })
      .onConflict((oc) => oc.column('server_key').doUpdateSet(values))
      .execute();
  }

  async forgetMemory(serverKey: string): Promise<void> {
    await this.db.deleteFrom('watch_pollers').where('server_key', '=', serverKey).execute();
  }

  // Schedules
  async addSchedule(s: Schedule): Promise<void> {
    await this.db
      .insertInto('schedule_actions')
      .values({
        id: s.id,
        owner_id: s.ownerId,
        server_id: s.serverId,
        server_name: s.serverName,
        signal: s.signal,
        run_at: s.runAt,
        warn: s.warn ? 1 : 0,
        channel_id: s.channelId,
        status: s.status,
        created_at: s.createdAt,
      })
      .execute();
  }

  async schedulesWithStatus(statuses: ScheduleStatus[]): Promise<Schedule[]> {
    const rows = await this.db
      .selectFrom('schedule_actions')
      .selectAll()
      .where('status', 'in', statuses)
      .orderBy('run_at')
      .execute();
    return rows.map(scheduleFrom);
  }

  async schedulesOf(ownerId: string): Promise<Schedule[]> {
    const rows = await this.db
      .selectFrom('schedule_actions')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('status', '=', 'pending')
      .orderBy('run_at')
      .execute();
    return rows.map(scheduleFrom);
  }

  async schedule(id: string): Promise<Schedule | undefined> {
    const r = await this.db
      .selectFrom('schedule_actions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? scheduleFrom(r) : undefined;
  }

  /** Moves a schedule from one status to another; false when it was not in `from` (raced). */
  async moveSchedule(id: string, from: ScheduleStatus, to: ScheduleStatus): Promise<boolean> {
    const result = await this.db
      .updateTable('schedule_actions')
      .set({ status: to })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Claims the warning `offsetMs` before the run for this process: true for
   * exactly one claimer, and false once it or a later (smaller) warning was
   * claimed, or the schedule is no longer pending.
   */
  async claimWarning(id: string, offsetMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('schedule_actions')
      .set({ warned_ms: offsetMs })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('warned_ms', 'is', null), eb('warned_ms', '>', offsetMs)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** pending → sending, noting when; false when another process (or a cancel) came first. */
  async startSending(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('schedule_actions')
      .set({ status: 'sending', sending_since: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Schedules in `sending` since `before` or earlier (or from a release that did not note it). */
  async sendingSince(before: number): Promise<Schedule[]> {
    const rows = await this.db
      .selectFrom('schedule_actions')
      .selectAll()
      .where('status', '=', 'sending')
      .where((eb) => eb.or([eb('sending_since', 'is', null), eb('sending_since', '<=', before)]))
      .orderBy('run_at')
      .execute();
    return rows.map(scheduleFrom);
  }

  // Reminders
  async setReminder(r: Reminder): Promise<void> {
    const values = {
      server_name: r.serverName,
      before_ms: r.beforeMs,
      due_date: r.dueDate,
      sent_for_due: r.sentForDue,
    };
    await this.db
      .insertInto('reminder_optins')
      .values({ owner_id: r.ownerId, server_id: r.serverId, ...values })
      .onConflict((oc) => oc.columns(['owner_id', 'server_id']).doUpdateSet(values))
      .execute();
  }

  /** Stores a due date just read, leaving the reminder's claim as it is. */
  async setReminderDue(ownerId: string, serverId: string, dueDate: string | null): Promise<void> {
    await this.db
      .updateTable('reminder_optins')
      .set({ due_date: dueDate })
      .where('owner_id', '=', ownerId)
      .where('server_id', '=', serverId)
      .execute();
  }

  /** Claims the DM for `dueDate`: true for exactly one claimer per reminder and due date. */
  async claimReminder(ownerId: string, serverId: string, dueDate: string): Promise<boolean> {
    const result = await this.db
      .updateTable('reminder_optins')
      .set({ sent_for_due: dueDate })
      .where('owner_id', '=', ownerId)
      .where('server_id', '=', serverId)
      .where('due_date', '=', dueDate)
      .where((eb) => eb.or([eb('sent_for_due', 'is', null), eb('sent_for_due', '<>', dueDate)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives a claim back (the DM did not go out), so a later check tries again. */
  async unclaimReminder(ownerId: string, serverId: string, dueDate: string): Promise<void> {
    await this.db
      .updateTable('reminder_optins')
      .set({ sent_for_due: null })
      .where('owner_id', '=', ownerId)
      .where('server_id', '=', serverId)
      .where('sent_for_due', '=', dueDate)
      .execute();
  }

  async removeReminder(ownerId: string, serverId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('reminder_optins')
      .where('owner_id', '=', ownerId)
      .where('server_id', '=', serverId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async reminders(ownerId?: string): Promise<Reminder[]> {
    let query = this.db.selectFrom('reminder_optins').selectAll();
    if (ownerId) query = query.where('owner_id', '=', ownerId);
    const rows = await query.execute();
    return rows.map((r) => ({
      ownerId: r.owner_id,
      serverId: r.server_id,
      serverName: r.server_name,
      beforeMs: Number(r.before_ms),
      dueDate: r.due_date,
      sentForDue: r.sent_for_due,
    }));
  }

  async accountCheckedAt(ownerId: string): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('reminder_accounts')
      .select('checked_at')
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return r ? Number(r.checked_at) : undefined;
  }

  /**
   * Claims the account's daily `GET /servers` at `now`: true for exactly one
   * claimer when the last read is a day old (or there was none).
   */
  async claimAccountCheck(ownerId: string, now: number, everyMs: number): Promise<boolean> {
    const inserted = await this.db
      .insertInto('reminder_accounts')
      .values({ owner_id: ownerId, checked_at: now })
      .onConflict((oc) => oc.column('owner_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
    const updated = await this.db
      .updateTable('reminder_accounts')
      .set({ checked_at: now })
      .where('owner_id', '=', ownerId)
      .where('checked_at', '<=', now - everyMs)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }
}
