/**
 * The narrow port through which upstream clients report how long each
 * request took (the bot feeds the `hostlink_upstream_latency_seconds`
 * histogram with it). `status` is the HTTP status, 0 when no answer came.
 */
export interface UpstreamLatency {
  observe(api: UpstreamApi, status: number, seconds: number): void;
}

export type UpstreamApi = 'heliactyl' | 'atomichost';

/** What one transport reports: its API is fixed when the client builds it. */
export type LatencyObserver = (status: number, seconds: number) => void;

export function observerFor(
  api: UpstreamApi,
  latency: UpstreamLatency | undefined,
): LatencyObserver | undefined {
  return latency ? (status, seconds) => latency.observe(api, status, seconds) : undefined;
}
