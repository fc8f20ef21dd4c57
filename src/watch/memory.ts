import { DAY_MS } from './cost.js';
import {
  SETTLED_STATES,
  isAlertTransition,
  reachableAlert,
  transitionAlert,
  unreachableAlert,
} from './alerts.js';
import type { OutMessage } from './ports.js';
import type { PollerMemory } from './types.js';

/**
 * What a check does to a poller's memory, and which alert it calls for:
 * pure, so the poller only sequences requests, edits and posts.
 */

/** Failed checks in a row before the server counts as unreachable (and is alerted). */
export const UNREACHABLE_AFTER = 3;
/** The longest gap between checks when backing off. */
export const MAX_BACKOFF_MS = 3_600_000;
/** A due date read that failed is tried again after this long, not on every check. */
const DUE_RETRY_MS = 3_600_000;

export type AlertFor = (role: string | null) => OutMessage;

/** True when the daily due-date read is due. */
export function dueDateStale(m: PollerMemory, now: number): boolean {
  return m.dueCheckedAt === null || now - m.dueCheckedAt >= DAY_MS;
}

/** After a due-date read: the date when it answered, else a retry in an hour. */
export function afterDueRead(m: PollerMemory, dueDate: string | null | undefined, now: number): PollerMemory {
  return dueDate === undefined
    ? { ...m, dueCheckedAt: now - DAY_MS + DUE_RETRY_MS }
    : { ...m, dueDate, dueCheckedAt: now };
}

/** A status answer: the new memory, and an alert on a real transition (or on being reachable again). */
export function afterStatus(
  before: PollerMemory,
  state: string,
  now: number,
  serverName: string,
): { memory: PollerMemory; alert: AlertFor | null } {
  let alert: AlertFor | null = null;
  if (SETTLED_STATES.has(state)) {
    const from = before.stableState;
    if (from !== null && from !== state && isAlertTransition(from, state)) {
      alert = (role) => transitionAlert(serverName, from, state, role);
    } else if (before.unreachableAlerted) {
      alert = (role) => reachableAlert(serverName, state, role);
    }
  }
  const memory: PollerMemory = {
    ...before,
    lastState: state,
    stableState: SETTLED_STATES.has(state) ? state : before.stableState,
    stateSince: before.lastState === state && !before.unreachableAlerted ? before.stateSince : now,
    failures: 0,
    unreachableAlerted: false,
  };
  return { memory, alert };
}

/** A check that got no answer: counted; the third in a row is alerted, once; the pace slows after it. */
export function afterFailure(
  before: PollerMemory,
  now: number,
  serverName: string,
  intervalMs: number,
): { memory: PollerMemory; alert: AlertFor | null; delayMs: number } {
  const failures = before.failures + 1;
  const alertNow = failures >= UNREACHABLE_AFTER && !before.unreachableAlerted;
  const memory: PollerMemory = {
    ...before,
    failures,
    unreachableAlerted: before.unreachableAlerted || alertNow,
    stateSince: alertNow ? now : before.stateSince,
  };
  // Normal pace for the first checks (so "3 in a row" is prompt), then doubling.
  const factor = 2 ** Math.max(0, failures - (UNREACHABLE_AFTER - 1));
  const delayMs = Math.min(intervalMs * factor, Math.max(MAX_BACKOFF_MS, intervalMs));
  return {
    memory,
    alert: alertNow ? (role) => unreachableAlert(serverName, failures, role) : null,
    delayMs,
  };
}
