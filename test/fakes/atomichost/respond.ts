import type { ServerResponse } from 'node:http';

/** The spec's envelopes and the fake's way of refusing a request. */

export type ErrorCode =
  | 'missing_token'
  | 'invalid_key'
  | 'account_banned'
  | 'insufficient_service_permission'
  | 'feature_unavailable'
  | 'service_inactive'
  | 'not_found'
  | 'validation_failed'
  | 'rate_limited'
  | 'daily_credit_limit_reached'
  | 'too_many_streams'
  | 'backend_unavailable';

/** Thrown by handlers; the dispatcher turns it into an error envelope. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'The requested resource was not found.'): ApiFailure =>
  new ApiFailure(404, 'not_found', what);

export const invalid = (message: string): ApiFailure => new ApiFailure(422, 'validation_failed', message);

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function successBody(data: unknown): unknown {
  return { success: true, data };
}

export function errorBody(code: ErrorCode, message: string): unknown {
  return { success: false, error: { code, message } };
}
