import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Fault switches shared by every fake. A test adds rules; each incoming
 * request consults them before the fake's normal handler.
 *
 * - latency: wait `ms`, then answer normally (stacks with other faults)
 * - status: answer with `status` (5xx usually) and an optional body
 * - malformed: answer 200 with a truncated JSON body
 * - reset: destroy the socket without answering
 * - hang: never answer (the socket is freed when the fake closes)
 * - hold: tell the test (`onHeld`), wait until `until` settles, then answer normally —
 *   a request the test knows is in flight and lets go of when it chooses
 * - rate_limit: answer the fake's own 429 (each fake supplies the shape)
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'malformed' }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'hold'; until: Promise<unknown>; onHeld?: () => void }
  | { kind: 'rate_limit'; retryAfterSeconds?: number };

export interface FaultRule {
  fault: Fault;
  /** Only requests with this method (upper case). */
  method?: string;
  /** Only requests whose path (without query) matches. A string matches by `includes`. */
  path?: string | RegExp;
  /** Apply this many times, then drop the rule. Default: until cleared. */
  times?: number;
  /** Called once the fault's answer has been fully sent (status, malformed, rate_limit). */
  onApplied?: () => void;
  /** Called when the rule takes a request (before any answer; the only signal a hang gives). */
  onMatched?: () => void;
}

export type RateLimitResponder = (res: ServerResponse, retryAfterSeconds: number) => void;

export class FaultSwitch {
  #rules: FaultRule[] = [];
  readonly #hanging = new Set<ServerResponse>();
  /** Requests a latency or hold rule delayed: the fake received them only when the delay ended. */
  readonly delayed = new WeakSet<IncomingMessage>();

  constructor(private readonly rateLimitResponder: RateLimitResponder) {}

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule });
  }

  clear(): void {
    this.#rules = [];
  }

  #matches(rule: FaultRule, method: string, path: string): boolean {
    if (rule.method && rule.method !== method) return false;
    if (rule.path === undefined) return true;
    return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
  }

  /**
   * Applies matching faults. Returns true when the request has been dealt with
   * (answered, reset or left hanging) and the fake must not handle it.
   */
  async apply(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const method = req.method ?? 'GET';
    for (const rule of [...this.#rules]) {
      if (!this.#matches(rule, method, path)) continue;
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
      }
      const fault = rule.fault;
      rule.onMatched?.();
      if (rule.onApplied) res.once('finish', rule.onApplied);
      switch (fault.kind) {
        case 'latency':
          await sleep(fault.ms);
          this.delayed.add(req);
          continue;
        case 'hold':
          fault.onHeld?.();
          await fault.until.catch(() => undefined);
          this.delayed.add(req);
          continue;
        case 'status':
          res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json' });
          res.end(fault.body ?? JSON.stringify({ message: 'Injected failure' }));
          return true;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"status":"succ');
          return true;
        case 'reset':
          req.socket.destroy();
          return true;
        case 'hang':
          this.#hanging.add(res);
          res.on('close', () => this.#hanging.delete(res));
          return true;
        case 'rate_limit':
          this.rateLimitResponder(res, fault.retryAfterSeconds ?? 30);
          return true;
      }
    }
    return false;
  }

  /** Frees hanging requests (called when the fake closes). */
  releaseHanging(): void {
    for (const res of this.#hanging) res.socket?.destroy();
    this.#hanging.clear();
  }
}

/** One request as the fake received it, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text ('' when none). */
  rawBody: string;
  /** Parsed JSON body when it parsed, else undefined. */
  body: unknown;
  at: number;
}

export async function readBody(req: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) break;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
