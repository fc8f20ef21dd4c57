import type { BudgetOutlook } from '../../heliactyl/pacer.js';
import { DEFAULT_MODERATOR_RESERVE, SLOTS_PER_GRANT } from '../worker.js';

/** Requests a grant usually takes: addcoins and the balance read back (the repair is rare). */
const REQUESTS_PER_GRANT = 2;
/** Assumed time per grant before any of the batch has been timed. */
export const DEFAULT_MS_PER_GRANT = 500;

/**
 * Grants the worker can start with `slots` budget slots: it starts one only
 * while SLOTS_PER_GRANT plus the moderators' reserve are free, and each uses
 * about REQUESTS_PER_GRANT.
 */
export function grantsWithin(slots: number, reserve = DEFAULT_MODERATOR_RESERVE): number {
  const needed = SLOTS_PER_GRANT + reserve;
  return slots < needed ? 0 : Math.floor((slots - needed) / REQUESTS_PER_GRANT) + 1;
}

/**
 * How long `pending` grants take to drain (pure): those the current
 * window's budget still covers go at the observed rate, the rest wait for
 * the next windows (each covering grantsWithin(perWindow)).
 */
export function estimateDrainMs(pending: number, outlook: BudgetOutlook, msPerGrant: number): number {
  if (pending <= 0) return 0;
  const now = grantsWithin(outlook.remaining);
  if (pending <= now) return pending * msPerGrant;
  // No window open yet: the one the first request opens is the one that runs out.
  const resetInMs = outlook.resetInMs > 0 ? outlook.resetInMs : outlook.windowMs;
  const perWindow = Math.max(1, grantsWithin(outlook.perWindow));
  const rest = pending - now;
  const fullWindows = Math.ceil(rest / perWindow) - 1;
  const inLastWindow = rest - fullWindows * perWindow;
  return resetInMs + fullWindows * outlook.windowMs + inLastWindow * msPerGrant;
}

/** "about 3 min", "under a minute", "about 2 h 10 min". */
export function describeEta(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}
