import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { TransportError, discardBody, type HttpMethod } from '../http/upstream.js';
import { AtomicHostError } from './errors.js';
import { parseLimits, parseRetryAfter, type Limits } from './limits.js';
import { errorEnvelopeSchema, successEnvelopeSchema } from './schemas.js';

/**
 * What an AtomicHost answer means: data with its limit figures, or the
 * AtomicHostError it stands for (refusal, malformed body, broken transport).
 */

/** Every successful call: the parsed `data` and the response's limit figures. */
export interface ApiResult<T> {
  data: T;
  limits: Limits;
}

/** Largest error body read from a refused stream open. */
const ERROR_BODY_LIMIT = 64 * 1024;

export function transportFailure(error: unknown, method: HttpMethod, path: string): AtomicHostError {
  const arrived = !(error instanceof TransportError) || error.mayHaveArrived;
  return new AtomicHostError({
    code: error instanceof TransportError ? error.failure : 'network',
    method,
    path,
    // A write whose connection broke after sending may have been applied: never say "try again".
    mayHaveBeenApplied: method !== 'GET' && arrived,
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * The error an answer stands for, if any: an error envelope wins whatever
 * the status; a non-2xx without one is `http_error`.
 */
function refusalOf(
  response: RawAnswer,
  json: unknown,
  method: HttpMethod,
  path: string,
): AtomicHostError | undefined {
  const limits = parseLimits(response.headers);
  const base = { method, path, status: response.status, limits };
  const envelope = errorEnvelopeSchema.safeParse(json);
  if (envelope.success) {
    const { code, message } = envelope.data.error;
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    const rateReset = Number(response.headers['x-ratelimit-reset']);
    const resetAt =
      code === 'daily_credit_limit_reached'
        ? (limits.credits?.resetAt ??
          (retryAfterMs === undefined ? undefined : new Date(Date.now() + retryAfterMs)))
        : code === 'rate_limited' && Number.isFinite(rateReset) && rateReset > 0
          ? new Date(rateReset * 1000)
          : undefined;
    return new AtomicHostError({
      ...base,
      code,
      ...(message === undefined ? {} : { upstreamMessage: message }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(resetAt === undefined ? {} : { resetAt }),
    });
  }
  if (response.status < 200 || response.status > 299) {
    // A bare 5xx (a gateway's page, not AtomicHost's envelope) doesn't say whether a write was done.
    const mayHaveBeenApplied = method !== 'GET' && response.status >= 500;
    return new AtomicHostError({ ...base, code: 'http_error', mayHaveBeenApplied });
  }
  return undefined;
}

function malformed(response: RawAnswer, method: HttpMethod, path: string): AtomicHostError {
  const limits = parseLimits(response.headers);
  const accepted = response.status >= 200 && response.status <= 299;
  return new AtomicHostError({
    method,
    path,
    status: response.status,
    limits,
    code: 'malformed_response',
    mayHaveBeenApplied: method !== 'GET' && accepted,
  });
}

/**
 * Turns one HTTP answer into data or an AtomicHostError; a 2xx whose body is
 * not the success envelope with the expected data is `malformed_response`.
 */
export function interpret<S extends z.ZodType>(
  response: RawAnswer,
  method: HttpMethod,
  path: string,
  schema: S,
): ApiResult<z.output<S>> {
  const json = parseJson(response.text);
  const refusal = refusalOf(response, json.ok ? json.value : undefined, method, path);
  if (refusal) throw refusal;
  const success = json.ok ? successEnvelopeSchema.safeParse(json.value) : undefined;
  const data = success?.success ? schema.safeParse(success.data.data) : undefined;
  if (!data?.success) throw malformed(response, method, path);
  return { data: data.data as z.output<S>, limits: parseLimits(response.headers) };
}

async function readCapped(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buf);
      size += buf.length;
      if (size >= limit) break;
    }
  } finally {
    discardBody(body);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The error a refused console open stands for (its body read up to a cap). */
export async function refusedStreamError(
  response: { status: number; headers: Record<string, string>; body: Readable },
  method: HttpMethod,
  path: string,
): Promise<AtomicHostError> {
  let text: string;
  try {
    text = await readCapped(response.body, ERROR_BODY_LIMIT);
  } catch (error) {
    return transportFailure(error, method, path);
  }
  const answer = { status: response.status, headers: response.headers, text };
  const json = parseJson(text);
  // A 2xx that is not an event stream can only be malformed.
  return refusalOf(answer, json.ok ? json.value : undefined, method, path) ?? malformed(answer, method, path);
}
