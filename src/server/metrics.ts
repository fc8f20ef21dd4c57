import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import type { UpstreamLatency } from '../http/latency.js';

/**
 * Hostlink's Prometheus metrics, prefixed `hostlink_`. No user ids in
 * labels: only command names, APIs, status codes, sources and states.
 * Gauges that read live state are filled in by callbacks at scrape time.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly interactions = new Counter({
    name: 'hostlink_interactions_total',
    help: 'Interactions received, by command',
    labelNames: ['command'],
    registers: [this.registry],
  });
  readonly ackLatency = new Histogram({
    name: 'hostlink_ack_latency_seconds',
    help: 'Time from an interaction arriving to its first answer (reply or defer)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly upstreamLatency = new Histogram({
    name: 'hostlink_upstream_latency_seconds',
    help: 'Upstream API request latency, by API and HTTP status (0: no answer)',
    labelNames: ['api', 'status'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly grants = new Counter({
    name: 'hostlink_grants_total',
    help: 'Grants that reached a state, by source and state',
    labelNames: ['source', 'state'],
    registers: [this.registry],
  });
  readonly heliactylBudget = new Gauge({
    name: 'hostlink_heliactyl_budget_remaining',
    help: 'Dashboard requests the bot may still send in the current rate-limit window',
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'hostlink_grant_queue_depth',
    help: 'Grants not yet settled, by state (queued, sending, unknown)',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly consoleStreams = new Gauge({
    name: 'hostlink_console_streams_open',
    help: 'Open upstream console streams',
    registers: [this.registry],
  });
  readonly #collectors: Array<() => Promise<void> | void> = [];

  /** The port the API clients report request latency through (src/http/latency.ts). */
  readonly upstream: UpstreamLatency = {
    observe: (api, status, seconds) => this.upstreamLatency.observe({ api, status: String(status) }, seconds),
  };

  /** Runs `collect` before every scrape (for gauges read from live state). */
  onScrape(collect: () => Promise<void> | void): void {
    this.#collectors.push(collect);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    await this.#collect();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Every metric with its values, as JSON (what a shard hands its manager to aggregate). */
  async snapshot(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
    await this.#collect();
    return this.registry.getMetricsAsJSON();
  }

  async #collect(): Promise<void> {
    await Promise.allSettled(this.#collectors.map(async (collect) => collect()));
  }
}
