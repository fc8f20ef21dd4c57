import { performance } from 'node:perf_hooks';
import { Events, InteractionType, RESTEvents, type Client } from 'discord.js';
import type { Metrics } from './metrics.js';

/** Interactions kept waiting for their first answer; older ones are dropped (never answered). */
const MAX_PENDING = 5_000;
const CALLBACK_PATH = /^\/interactions\/(\d{17,20})\/[^/]+\/callback/;

/**
 * Feeds hostlink_interactions_total and hostlink_ack_latency_seconds from
 * the client's own events: an interaction's arrival, and the REST response
 * to its first callback (reply, defer or modal).
 */
export function trackInteractionMetrics(client: Client, metrics: Metrics): void {
  const received = new Map<string, number>();
  client.on(Events.InteractionCreate, (interaction) => {
    const command =
      'commandName' in interaction ? interaction.commandName : (InteractionType[interaction.type] ?? 'other');
    metrics.interactions.inc({ command });
    received.set(interaction.id, performance.now());
    if (received.size > MAX_PENDING) {
      const oldest = received.keys().next().value;
      if (oldest !== undefined) received.delete(oldest);
    }
  });
  client.rest.on(RESTEvents.Response, (request) => {
    const id = CALLBACK_PATH.exec(String(request.path))?.[1];
    const at = id === undefined ? undefined : received.get(id);
    if (id === undefined || at === undefined) return;
    received.delete(id);
    metrics.ackLatency.observe((performance.now() - at) / 1000);
  });
}
