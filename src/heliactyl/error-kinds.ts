import type { HttpMethod } from '../http/upstream.js';

/**
 * Every way a Heliactyl call can fail, as one discriminant:
 * - api_disabled: `api.client.api.enabled` is false on the dashboard (403)
 * - unauthorized: the API key is missing or wrong (401/403)
 * - missing_id: the dashboard saw no usable id (`missing id`, `id must be a string`)
 * - unknown_user: `invalid id` — no dashboard account has that id
 * - invalid_request: any other refusal text (`invalid package`, `ram size`, …) or an HTML 400/413
 * - upstream_error: `{"status":"error","message":…}`, an HTML 404, or a 5xx
 * - panel_unavailable: userinfo could not load the user's Pterodactyl account
 *   (the dashboard answers HTTP 200 with a bare sentence instead of JSON)
 * - rate_limited: a 429, or the client's own budget is spent (nothing sent)
 * - malformed: the body is not JSON or not the documented shape
 * - timeout / network: no complete HTTP answer
 */
export type HeliactylErrorKind =
  | 'api_disabled'
  | 'unauthorized'
  | 'missing_id'
  | 'unknown_user'
  | 'invalid_request'
  | 'upstream_error'
  | 'panel_unavailable'
  | 'rate_limited'
  | 'malformed'
  | 'timeout'
  | 'network';

export interface HeliactylErrorInit {
  kind: HeliactylErrorKind;
  method: HttpMethod;
  /** Request path with its query, e.g. `/api/v3/userinfo?id=123`. Never holds the key. */
  path: string;
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** The dashboard's own text (`status` or `message`), redacted and shortened. */
  upstreamMessage?: string;
  /** For rate_limited: how long until a request may be sent again. */
  retryAfterMs?: number;
  /**
   * True when the request may have been acted on but the outcome is unknown
   * (timeout, connection lost after sending, unreadable or 5xx answer).
   * A write with this flag must not be retried blindly: read the state back.
   */
  mayHaveReachedServer: boolean;
  /** For timeout: the limit that expired. */
  timeoutMs?: number;
}
