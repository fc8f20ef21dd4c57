import { Pool, errors as undiciErrors } from 'undici';
import type { Readable } from 'node:stream';
import type { LatencyObserver } from './latency.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface UpstreamRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON when present. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides the transport's default total timeout. */
  timeoutMs?: number;
  /** Largest body read, in bytes (default DEFAULT_BODY_LIMIT); a larger one fails as `too_large`. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

/** Every upstream body is read with a cap: no answer can grow the bot without limit. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw body text (already fully read). */
  text: string;
}

export interface UpstreamStream {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** What went wrong at the transport level, before any API semantics. */
export type TransportFailure = 'timeout' | 'network' | 'aborted' | 'too_large';

/** Connection failures that happen before a byte of the request left: it cannot have arrived. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * A signal that aborts (with a TimeoutError) after `ms`, and whose timer is
 * cleared as soon as the request is done. AbortSignal.timeout keeps its
 * timer after the answer, until the timeout passes or a finalizer runs once
 * the signal is collected: while the grant worker drains (two requests a
 * grant) those timers outlive young-generation collections, are promoted,
 * and bring on full collections in the middle of the next rush of clicks.
 */
function deadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Low-level failure: the request never produced a complete (or small enough) HTTP response. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly failure: TransportFailure,
    readonly method: HttpMethod,
    readonly path: string,
    /** The system error code (ECONNREFUSED, ENOTFOUND, …) or a short description. */
    readonly detail: string,
    /** False only when the request certainly never reached the server (refused, unresolved). */
    readonly mayHaveArrived = true,
  ) {
    super(`${method} ${path}: ${failure} (${detail})`);
  }
}

/**
 * Stops reading an upstream response body and frees its connection. undici 6
 * (the copy discord.js uses, so the bot loads one) reports a body destroyed
 * before its end as an 'error' event (RequestAbortedError); nothing reads it
 * any more, so that event is expected and must not crash the process.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** The body's text, at most `limit` bytes: checked on content-length first, then while reading. */
async function readBodyCapped(
  body: Readable,
  headers: Record<string, string>,
  limit: number,
  req: UpstreamRequest,
): Promise<string> {
  const tooLarge = (): TransportError => {
    discardBody(body);
    return new TransportError('too_large', req.method, req.path, `body over ${limit} bytes`);
  };
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw tooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export interface TransportOptions {
  /** Base URL, possibly with a path prefix (e.g. `https://host/api/client/v1`). */
  baseUrl: string;
  /** Total time allowed for one request, headers and body. */
  timeoutMs: number;
  /** Keep-alive connections in the pool. */
  connections?: number;
  userAgent?: string;
  /** Told each request's duration and status (0: no answer); see latency.ts. */
  onLatency?: LatencyObserver;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * One keep-alive undici pool for one upstream origin. It knows nothing about
 * the API on top: clients parse bodies and map errors. Secrets passed in
 * `headers` never appear in thrown errors (only method and path do).
 */
export class HttpTransport {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #onLatency: LatencyObserver | undefined;

  constructor(options: TransportOptions) {
    this.#onLatency = options.onLatency;
    const url = new URL(options.baseUrl);
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs;
    this.#userAgent = options.userAgent ?? 'Hostlink (+https://github.com/hostlink)';
    this.#pool = new Pool(url.origin, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      connectTimeout: Math.min(options.timeoutMs, 10_000),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  #target(req: UpstreamRequest): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) search.set(key, String(value));
    }
    const qs = search.toString();
    return `${this.#basePath}${req.path}${qs ? `?${qs}` : ''}`;
  }

  #headers(req: UpstreamRequest): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.#userAgent, ...req.headers };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  #dispatchOptions(req: UpstreamRequest) {
    return {
      method: req.method,
      path: this.#target(req),
      headers: this.#headers(req),
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    };
  }

  #mapError(error: unknown, req: UpstreamRequest, signal: AbortSignal): TransportError {
    if (error instanceof TransportError) return error;
    if (req.signal?.aborted) return new TransportError('aborted', req.method, req.path, 'cancelled');
    if (error instanceof undiciErrors.ConnectTimeoutError)
      return new TransportError('timeout', req.method, req.path, 'no connection in time', false);
    if (
      signal.aborted ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      return new TransportError('timeout', req.method, req.path, 'no answer in time');
    }
    const code = (error as { code?: unknown }).code;
    const detail = typeof code === 'string' ? code : 'connection failed';
    return new TransportError('network', req.method, req.path, detail, !NOT_SENT_CODES.has(detail));
  }

  /** Sends one request and reads the body (up to `maxBodyBytes`) within the total timeout. */
  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const timeout = deadline(req.timeoutMs ?? this.#timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout.signal, req.signal]) : timeout.signal;
    const started = performance.now();
    let status = 0;
    try {
      const res = await this.#pool.request({ ...this.#dispatchOptions(req), signal });
      const headers = flattenHeaders(res.headers);
      const text = await readBodyCapped(res.body, headers, req.maxBodyBytes ?? DEFAULT_BODY_LIMIT, req);
      status = res.statusCode;
      return { status: res.statusCode, headers, text };
    } catch (error) {
      throw this.#mapError(error, req, timeout.signal);
    } finally {
      timeout.clear();
      this.#onLatency?.(status, (performance.now() - started) / 1000);
    }
  }

  /**
   * Opens a long-lived response (SSE). The timeout covers only the wait for
   * the response headers; the body then stays open until the caller destroys
   * it or aborts `req.signal`.
   */
  async stream(req: UpstreamRequest): Promise<UpstreamStream> {
    const headersTimeout = deadline(req.timeoutMs ?? this.#timeoutMs);
    const controller = new AbortController();
    const onTimeout = (): void => controller.abort(headersTimeout.signal.reason);
    headersTimeout.signal.addEventListener('abort', onTimeout, { once: true });
    const onCallerAbort = (): void => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const started = performance.now();
    let status = 0;
    try {
      const res = await this.#pool.request({
        ...this.#dispatchOptions(req),
        signal: controller.signal,
        bodyTimeout: 0,
      });
      // A stream's latency is the wait for its headers: the body stays open for as long as it is watched.
      status = res.statusCode;
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: res.body };
    } catch (error) {
      req.signal?.removeEventListener('abort', onCallerAbort);
      throw this.#mapError(error, req, headersTimeout.signal);
    } finally {
      headersTimeout.clear();
      headersTimeout.signal.removeEventListener('abort', onTimeout);
      this.#onLatency?.(status, (performance.now() - started) / 1000);
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
