import type { z } from 'zod';
import type { HttpMethod, TransportError, UpstreamResponse } from '../http/upstream.js';
import { HeliactylError, type HeliactylErrorKind } from './errors.js';
import { pageSentence } from './page-text.js';
import { envelopeSchema } from './schemas.js';
import { clipForScan } from '../upstream-text.js';

/**
 * Turns what came back (or the transport failure) into a typed result or a
 * HeliactylError. The dashboard answers most errors with HTTP 200 and a
 * `status` text, so the body decides, not the HTTP code.
 */

export interface CallContext {
  method: HttpMethod;
  /** Path with query, for error reports. */
  path: string;
  timeoutMs: number;
  /** Removes the API key from any text that came from outside. */
  redact: (text: string) => string;
  /** What a 2xx answer that is not JSON means on this route (else: malformed). */
  textAnswer?: HeliactylErrorKind;
}

const MAX_MESSAGE_CHARS = 200;

/** Failures where the connection never got as far as delivering the request. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function fail(
  ctx: CallContext,
  kind: HeliactylErrorKind,
  extra: { status?: number; upstreamMessage?: string; retryAfterMs?: number; mayHaveReachedServer?: boolean },
): HeliactylError {
  const message = extra.upstreamMessage === undefined ? undefined : cleanMessage(extra.upstreamMessage, ctx);
  return new HeliactylError({
    kind,
    method: ctx.method,
    path: ctx.path,
    mayHaveReachedServer: extra.mayHaveReachedServer ?? false,
    ...(extra.status === undefined ? {} : { status: extra.status }),
    ...(message ? { upstreamMessage: message } : {}),
    ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
  });
}

function cleanMessage(text: string, ctx: CallContext): string {
  const flat = ctx.redact(clipForScan(text)).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…` : flat;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Retry-After (seconds or an HTTP date), else RateLimit-Reset, else one minute. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = Number.parseInt(headers['ratelimit-reset'] ?? '', 10);
  return Number.isFinite(reset) ? reset * 1000 : 60_000;
}

export function transportFailure(error: TransportError, ctx: CallContext): HeliactylError {
  if (error.failure === 'timeout') {
    return new HeliactylError({
      kind: 'timeout',
      method: ctx.method,
      path: ctx.path,
      mayHaveReachedServer: true,
      timeoutMs: ctx.timeoutMs,
    });
  }
  // An answer over the body cap was sent but can't be read.
  if (error.failure === 'too_large') return fail(ctx, 'malformed', { mayHaveReachedServer: true });
  // TransportError keeps the system error code only in its message: "… (ECONNREFUSED)".
  const code = /\(([^()]*)\)$/.exec(error.message)?.[1] ?? '';
  return fail(ctx, 'network', { mayHaveReachedServer: !NOT_SENT_CODES.has(code) });
}

function errorStatus(
  body: { status: string | boolean; message?: unknown },
  httpStatus: number,
  ctx: CallContext,
) {
  const message = typeof body.message === 'string' ? body.message : undefined;
  if (typeof body.status === 'string' && body.status !== 'error') {
    // The dashboard's refusal texts: nothing was changed.
    const text = body.status;
    if (text === 'missing id' || text === 'id must be a string')
      return fail(ctx, 'missing_id', { status: httpStatus, upstreamMessage: text });
    if (text === 'invalid id')
      return fail(ctx, 'unknown_user', { status: httpStatus, upstreamMessage: text });
    return fail(ctx, 'invalid_request', { status: httpStatus, upstreamMessage: text });
  }
  if (message === 'API is disabled')
    return fail(ctx, 'api_disabled', { status: httpStatus, upstreamMessage: message });
  if (
    httpStatus === 401 ||
    httpStatus === 403 ||
    message === 'Invalid API key' ||
    message === 'Missing authorization header'
  ) {
    return fail(ctx, 'unauthorized', {
      status: httpStatus,
      ...(message ? { upstreamMessage: message } : {}),
    });
  }
  return fail(ctx, 'upstream_error', {
    status: httpStatus,
    mayHaveReachedServer: httpStatus >= 500,
    ...(message ? { upstreamMessage: message } : {}),
  });
}

function nonJsonAnswer(res: UpstreamResponse, ctx: CallContext): HeliactylError {
  const upstreamMessage = pageSentence(res.text);
  const status = res.status;
  if (status >= 200 && status < 300) {
    if (ctx.textAnswer && upstreamMessage) return fail(ctx, ctx.textAnswer, { status, upstreamMessage });
    return fail(ctx, 'malformed', { status, mayHaveReachedServer: true });
  }
  // Express's own 400 (unparseable JSON) and 413 (body over 500 kB): the route never ran.
  if (status === 400 || status === 413) return fail(ctx, 'invalid_request', { status, upstreamMessage });
  return fail(ctx, 'upstream_error', { status, upstreamMessage, mayHaveReachedServer: status >= 500 });
}

/** Decides the outcome of one answered request. `success` parses a success body. */
export function interpretResponse<T>(res: UpstreamResponse, success: z.ZodType<T>, ctx: CallContext): T {
  if (res.status === 429) {
    throw fail(ctx, 'rate_limited', { status: 429, retryAfterMs: retryAfterMs(res.headers) });
  }
  const json = parseJson(res.text);
  if (json === undefined) throw nonJsonAnswer(res, ctx);

  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    const message = (json as { message?: unknown; error?: unknown } | null)?.message;
    if (res.status >= 500) {
      throw fail(ctx, 'upstream_error', {
        status: res.status,
        mayHaveReachedServer: true,
        ...(typeof message === 'string' ? { upstreamMessage: message } : {}),
      });
    }
    throw fail(ctx, 'malformed', { status: res.status, mayHaveReachedServer: true });
  }

  const { status } = envelope.data;
  if (status === 'success' || status === true) {
    const parsed = success.safeParse(json);
    if (!parsed.success) throw fail(ctx, 'malformed', { status: res.status, mayHaveReachedServer: true });
    return parsed.data;
  }
  throw errorStatus(envelope.data, res.status, ctx);
}
