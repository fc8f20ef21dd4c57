import type { HttpMethod } from '../http/upstream.js';
import type { HeliactylErrorInit, HeliactylErrorKind } from './error-kinds.js';

export type { HeliactylErrorInit, HeliactylErrorKind } from './error-kinds.js';

export class HeliactylError extends Error {
  override readonly name = 'HeliactylError';
  readonly kind: HeliactylErrorKind;
  readonly method: HttpMethod;
  readonly path: string;
  readonly status?: number;
  readonly upstreamMessage?: string;
  readonly retryAfterMs?: number;
  readonly mayHaveReachedServer: boolean;
  readonly timeoutMs?: number;

  constructor(init: HeliactylErrorInit) {
    const parts = [`Heliactyl ${init.method} ${init.path} failed: ${init.kind}`];
    if (init.status !== undefined) parts.push(`(HTTP ${init.status})`);
    if (init.upstreamMessage) parts.push(`"${init.upstreamMessage}"`);
    super(parts.join(' '));
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.mayHaveReachedServer = init.mayHaveReachedServer;
    // Assigned only when present so JSON.stringify and deepEqual stay tidy.
    if (init.status !== undefined) this.status = init.status;
    if (init.upstreamMessage !== undefined) this.upstreamMessage = init.upstreamMessage;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.timeoutMs !== undefined) this.timeoutMs = init.timeoutMs;
  }
}
