import type { IncomingMessage, ServerResponse } from 'node:http';
import { backupRoutes } from './backup-routes.js';
import {
  isTraversal,
  pathValues,
  type FakeDeps,
  type Reply,
  type RequestContext,
  type Route,
} from './context.js';
import { fileRoutes } from './file-routes.js';
import { creditsRemaining, limitHeaders, rollCredits, type RateLimiter, type RateVerdict } from './limits.js';
import { ApiFailure, errorBody, invalid, notFound, sendJson, successBody } from './respond.js';
import { serverRoutes } from './server-routes.js';
import type { FakeAccount } from './state.js';

/**
 * The API pipeline, in order:
 * 1. `Authorization: Bearer ah_…` → 401 missing_token / 401 invalid_key / 403 account_banned
 * 2. per-key rate limit → 429 rate_limited (Retry-After, X-RateLimit-Reset)
 * 3. daily credits (the route's cost must fit) → 429 daily_credit_limit_reached (Retry-After)
 * 4. body JSON → 422; on /files routes a `..` segment or NUL in any path field → 422
 * 5. route → 404 not_found; service reachability, permission, activity, feature;
 *    validation; backend (502 backend_unavailable); the action.
 * Credits: the route's cost is charged from step 4 on; a 5xx refunds it all, a
 * 4xx keeps 1 (a refused stream open costs 1, not 5). Rate-limit and credit
 * 429s cost nothing. Every answer carries X-RateLimit-* for the presented key
 * and X-Credits-* for its account, when there is one.
 */

export function allRoutes(origin: () => string): Route[] {
  return [...serverRoutes, ...fileRoutes(origin), ...backupRoutes];
}

function bearerKey(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    try {
      return { route, params: match.slice(1).map((p) => decodeURIComponent(p ?? '')) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid('The request body must be valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export class ApiDispatcher {
  constructor(
    private readonly deps: FakeDeps,
    private readonly rate: RateLimiter,
    private readonly routes: Route[],
  ) {}

  /** The 429 the `rate_limit` fault sends, with the caller's real figures when it has a key. */
  rateLimitFault(res: ServerResponse, retryAfterSeconds: number): void {
    const key = res.req ? bearerKey(res.req) : undefined;
    const found = key ? this.deps.state.lookupKey(key) : undefined;
    const account = found && 'account' in found ? found.account : undefined;
    const headers = {
      ...limitHeaders(
        { allowed: false, limit: this.rate.perMinute, remaining: 0, retryAfterSeconds },
        account,
      ),
      'retry-after': String(retryAfterSeconds),
    };
    sendJson(res, 429, errorBody('rate_limited', 'Too many requests.'), headers);
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL, rawBody: string): void {
    let rate: RateVerdict | undefined;
    let account: FakeAccount | undefined;
    let charged = 0;
    const headers = (): Record<string, string> => limitHeaders(rate, account);
    try {
      const key = bearerKey(req);
      if (!key) throw new ApiFailure(401, 'missing_token', 'No API key was provided.');
      const found = this.deps.state.lookupKey(key);
      rate = this.rate.peek(key);
      if ('refused' in found) {
        if (found.refused === 'account_banned') {
          throw new ApiFailure(403, 'account_banned', 'This account is banned or suspended.');
        }
        throw new ApiFailure(401, 'invalid_key', 'The API key is invalid, revoked or expired.');
      }
      account = found.account;
      rollCredits(account);
      rate = this.rate.hit(key);
      if (!rate.allowed) {
        throw new ApiFailure(429, 'rate_limited', 'Too many requests. Slow down.', {
          'retry-after': String(rate.retryAfterSeconds),
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + rate.retryAfterSeconds),
        });
      }
      const method = req.method ?? 'GET';
      const matched = matchRoute(this.routes, method, path);
      const cost = matched?.route.cost ?? 1;
      if (creditsRemaining(account) < cost) {
        const retryAfter = Math.max(1, Math.ceil((account.creditsResetAt.getTime() - Date.now()) / 1000));
        throw new ApiFailure(429, 'daily_credit_limit_reached', 'The daily credit allowance has been used.', {
          'retry-after': String(retryAfter),
        });
      }
      account.creditsUsed += cost;
      charged = cost;
      account.keyLastUsedAt = new Date();

      const body = parseBody(rawBody);
      const query = Object.fromEntries(url.searchParams);
      if (path.includes('/files') && pathValues(query, body).some(isTraversal)) {
        throw invalid('The path must not contain ".." segments.');
      }
      if (!matched) throw notFound('No such endpoint.');
      const ctx: RequestContext = { account, key, params: matched.params, query, body };
      this.#reply(res, matched.route.handle(ctx, this.deps), headers());
    } catch (error) {
      const failure =
        error instanceof ApiFailure
          ? error
          : new ApiFailure(500, 'backend_unavailable', 'Internal fake error.');
      if (failure.status >= 500 && account) account.creditsUsed -= charged;
      else if (account && charged > 1) account.creditsUsed -= charged - 1;
      if (failure.status === 500) console.error('FakeAtomicHost handler failed:', error);
      sendJson(res, failure.status, errorBody(failure.code, failure.message), {
        ...headers(),
        ...failure.headers,
      });
    }
  }

  #reply(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
    if ('stream' in reply) {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      reply.stream(res);
      return;
    }
    sendJson(res, reply.status, successBody(reply.data), headers);
  }
}
