import type { Shard } from 'discord.js';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Metrics } from '../server/metrics.js';

/**
 * /metrics across processes: the manager asks each shard process over the
 * IPC channel discord.js's ShardingManager already opened, and each shard
 * answers with its registry as JSON, every series labelled with its shard id.
 * The manager merges them with its own; series stay apart by their `shard`
 * label (prom-client's aggregator only adds up series with equal labels).
 */

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

interface MetricsRequest {
  hostlink: 'metrics-request';
  nonce: number;
}

interface MetricsAnswer {
  hostlink: 'metrics';
  nonce: number;
  metrics: MetricsJson;
}

/** A shard that has not answered by then is left out of this scrape (its connection gauge says why). */
const ANSWER_TIMEOUT_MS = 2_000;

function isRequest(message: unknown): message is MetricsRequest {
  return (message as Partial<MetricsRequest> | null)?.hostlink === 'metrics-request';
}

function isAnswer(message: unknown, nonce: number): message is MetricsAnswer {
  const answer = message as Partial<MetricsAnswer> | null;
  return answer?.hostlink === 'metrics' && answer.nonce === nonce && Array.isArray(answer.metrics);
}

/** Shard side: labels this process's series with its shard id and answers the manager's requests. */
export function answerMetricsRequests(metrics: Metrics, shardId: number): () => void {
  metrics.registry.setDefaultLabels({ shard: String(shardId) });
  const onMessage = (message: unknown): void => {
    if (!isRequest(message)) return;
    void metrics
      .snapshot()
      .then((snapshot) => {
        const answer: MetricsAnswer = { hostlink: 'metrics', nonce: message.nonce, metrics: snapshot };
        process.send?.(answer);
      })
      // The manager gave up on this scrape or is gone: nothing to tell anyone.
      .catch(() => undefined);
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

let nextNonce = 1;

/** Manager side: one shard's metrics, or undefined when it is down or too slow to answer. */
async function askShard(shard: Shard): Promise<MetricsJson | undefined> {
  if (!shard.process) return undefined;
  const nonce = nextNonce++;
  return new Promise((resolve) => {
    const finish = (metrics: MetricsJson | undefined): void => {
      clearTimeout(timer);
      shard.off('message', onMessage);
      resolve(metrics);
    };
    const onMessage = (message: unknown): void => {
      if (isAnswer(message, nonce)) finish(message.metrics);
    };
    const timer = setTimeout(() => finish(undefined), ANSWER_TIMEOUT_MS);
    shard.on('message', onMessage);
    const request: MetricsRequest = { hostlink: 'metrics-request', nonce };
    shard.send(request).catch(() => finish(undefined));
  });
}

/** The manager's /metrics: its own registry (labelled `shard="manager"`) and every shard's. */
export class ShardedMetrics {
  constructor(
    private readonly own: Metrics,
    private readonly shards: () => Shard[],
  ) {
    own.registry.setDefaultLabels({ shard: 'manager' });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    const [own, ...shards] = await Promise.all([this.own.snapshot(), ...this.shards().map(askShard)]);
    const answered = shards.filter((metrics): metrics is MetricsJson => metrics !== undefined);
    const registry = AggregatorRegistry.aggregate([own, ...answered]);
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}
