import { DEFAULT_DAILY_CREDITS, watchCost, type WatchCost } from './cost.js';
import type { HostFailure, HostPort } from './ports.js';

export interface PreparedWatch {
  serverName: string;
  dueDate: string | null;
  cost: WatchCost;
  dailyLimit: number;
}

/**
 * What a watch needs before it is confirmed: the server (its name and due
 * date, 1 credit: today's due-date read) and the price in credits.
 */
export async function prepareWatch(
  host: HostPort,
  ownerId: string,
  serverId: string,
  intervalMs: number,
): Promise<{ ok: true; prepared: PreparedWatch } | { ok: false; failure: HostFailure }> {
  const read = await host.server(ownerId, serverId);
  if (read.kind !== 'ok') return { ok: false, failure: read };
  const dailyLimit = read.limits.credits?.limit ?? DEFAULT_DAILY_CREDITS;
  return {
    ok: true,
    prepared: {
      serverName: read.name,
      dueDate: read.dueDate,
      cost: watchCost(intervalMs, dailyLimit),
      dailyLimit,
    },
  };
}
