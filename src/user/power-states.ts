import type { AtomicHostApi } from '../atomichost/client.js';
import type { Limits } from '../atomichost/limits.js';
import type { ServerSummary } from '../atomichost/schemas.js';

/** `/servers` carries the billing status only; each power state is one status call (1 credit). */
export const MAX_POWER_LOOKUPS = 10;
const PARALLEL_LOOKUPS = 4;

export interface PowerStates {
  /** Power state per service id looked up; undefined when that lookup failed. */
  states: Map<number, string | undefined>;
  /** How many servers were looked up. */
  looked: number;
  /** Figures of the answer with the fewest credits left (the newest picture of the day). */
  limits: Limits | undefined;
}

/**
 * The power state (running, offline, …) of the first MAX_POWER_LOOKUPS
 * servers, a few requests at a time. A failed lookup leaves that server's
 * state unknown rather than failing the list.
 */
export async function lookUpPowerStates(api: AtomicHostApi, servers: ServerSummary[]): Promise<PowerStates> {
  const wanted = servers.slice(0, MAX_POWER_LOOKUPS);
  const states = new Map<number, string | undefined>();
  let limits: Limits | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const server = wanted[next]!;
      next += 1;
      try {
        const result = await api.getStatus(server.id);
        states.set(server.id, result.data.state);
        const remaining = result.limits.credits?.remaining;
        if (remaining !== undefined && remaining <= (limits?.credits?.remaining ?? Infinity)) {
          limits = result.limits;
        }
      } catch {
        states.set(server.id, undefined); // shown as unknown; the list itself stays useful
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_LOOKUPS, wanted.length) }, worker));
  return { states, looked: wanted.length, limits };
}
