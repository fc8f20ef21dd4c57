import type { z } from 'zod';
import { HttpTransport, TransportError, type HttpMethod, type UpstreamResponse } from '../http/upstream.js';
import { HeliactylError, type HeliactylErrorKind } from './errors.js';
import { observerFor, type UpstreamLatency } from '../http/latency.js';
import {
  BudgetExhaustedError,
  RequestPacer,
  type BudgetOutlook,
  type PacerBudget,
  type PacerMargin,
} from './pacer.js';
import type { Pacer } from './pacer-port.js';
import { interpretResponse, transportFailure, type CallContext } from './responses.js';
import {
  apiStatusSchema,
  userInfoSchema,
  userInteractionsSchema,
  userServerDetailsSchema,
  userServersSchema,
  writeResultSchema,
  type ApiStatus,
  type Resources,
  type UserInfo,
  type UserInteractions,
  type UserServerDetails,
  type UserServers,
} from './schemas.js';

export type { ApiStatus, Resources, UserInfo, UserInteractions, UserServerDetails, UserServers };
export type { Interaction, ServerDetail, ServerSummary } from './schemas.js';

export interface HeliactylClientOptions {
  /** Dashboard root, e.g. `https://dash.example.com`; calls go to `<root>/api/...`. */
  baseUrl: string;
  apiKey: string;
  /** Total time allowed for each call. */
  timeoutMs: number;
  /** The dashboard's rate limit; default 250 per 10 min. The pacer keeps a margin under it. */
  budget?: PacerBudget;
  /** Overrides the pacer's default margin (see pacer.ts). */
  margin?: Partial<PacerMargin>;
  /** Longest a call waits for a budget slot before failing with rate_limited; default 2000. */
  maxWaitMs?: number;
  /** A pacer built by the caller (a clock tests control, or the budget shared through Redis); budget, margin and maxWaitMs are then ignored. */
  pacer?: Pacer;
  /** Told each request's duration and status (the bot's metrics). */
  latency?: UpstreamLatency;
}

export interface BanOptions {
  reason?: string;
  /** ISO date when the ban ends; null (or omitted) for a permanent ban. */
  expiration?: string | null;
}

type Query = Record<string, string | number>;

/**
 * The Heliactyl v3 admin API. Every call is paced under the dashboard's
 * per-IP budget, sent once (never retried: `addcoins` is not idempotent),
 * judged by the body's `status`, and fails with a HeliactylError.
 */
export class HeliactylClient {
  readonly #transport: HttpTransport;
  readonly #pacer: Pacer;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #redact: (text: string) => string;

  constructor(options: HeliactylClientOptions) {
    const onLatency = observerFor('heliactyl', options.latency);
    this.#transport = new HttpTransport({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      ...(onLatency ? { onLatency } : {}),
    });
    this.#pacer =
      options.pacer ??
      new RequestPacer({
        ...(options.budget ? { budget: options.budget } : {}),
        ...(options.margin ? { margin: options.margin } : {}),
        ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
      });
    this.#timeoutMs = options.timeoutMs;
    this.#headers = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' };
    const key = options.apiKey;
    this.#redact = (text) => (key ? text.split(key).join('[redacted]') : text);
  }

  /** `GET /api`: the dashboard's version. */
  status(): Promise<ApiStatus> {
    return this.#call('GET', '/api', apiStatusSchema);
  }

  /** A user whose panel account is missing fails with panel_unavailable (the dashboard answers a bare sentence). */
  userInfo(id: string): Promise<UserInfo> {
    return this.#call('GET', '/api/v3/userinfo', userInfoSchema, {
      query: { id },
      textAnswer: 'panel_unavailable',
    });
  }

  userServers(id: string): Promise<UserServers> {
    return this.#call('GET', '/api/v3/userservers', userServersSchema, { query: { id } });
  }

  userServerDetails(id: string): Promise<UserServerDetails> {
    return this.#call('GET', '/api/v3/userserverdetails', userServerDetailsSchema, { query: { id } });
  }

  /** Last `limit` log lines mentioning the id (1–100; the dashboard defaults to 15). */
  userInteractions(id: string, limit?: number): Promise<UserInteractions> {
    const query: Query = limit === undefined ? { id } : { id, limit };
    return this.#call('GET', '/api/v3/userinteractions', userInteractionsSchema, { query });
  }

  ban(id: string, options: BanOptions = {}): Promise<void> {
    const body: Record<string, unknown> = { id };
    if (options.reason !== undefined) body.reason = options.reason;
    if (options.expiration !== undefined) body.expiration = options.expiration;
    return this.#call('POST', '/api/v3/ban', writeResultSchema, { body });
  }

  /** Idempotent on the dashboard. */
  unban(id: string): Promise<void> {
    return this.#call('POST', '/api/v3/unban', writeResultSchema, { body: { id } });
  }

  /** Sets the balance; 0 deletes the balance record. Send integers only. */
  setCoins(id: string, coins: number): Promise<void> {
    return this.#call('POST', '/api/v3/setcoins', writeResultSchema, { body: { id, coins } });
  }

  /**
   * Adds to the balance. When the user has no balance record the dashboard
   * answers success but loses this one grant (it stores null, so the next add
   * works) — read the balance back afterwards.
   */
  addCoins(id: string, coins: number): Promise<void> {
    return this.#call('POST', '/api/v3/addcoins', writeResultSchema, { body: { id, coins } });
  }

  /** A package name assigns it; null removes the plan (the field is omitted). */
  setPlan(id: string, pkg: string | null): Promise<void> {
    const body = pkg === null ? { id } : { id, package: pkg };
    return this.#call('POST', '/api/v3/setplan', writeResultSchema, { body });
  }

  /** Replaces the given extra resources; fields left out keep their value. */
  setResources(id: string, resources: Partial<Resources>): Promise<void> {
    const body: Record<string, unknown> = { id };
    for (const field of ['ram', 'disk', 'cpu', 'servers'] as const) {
      if (resources[field] !== undefined) body[field] = resources[field];
    }
    return this.#call('POST', '/api/v3/setresources', writeResultSchema, { body });
  }

  giveRenewalBypass(id: string): Promise<void> {
    return this.#call('POST', '/api/v3/give_renewalbypass', writeResultSchema, { body: { id } });
  }

  removeRenewalBypass(id: string): Promise<void> {
    return this.#call('POST', '/api/v3/remove_renewalbypass', writeResultSchema, { body: { id } });
  }

  /** How long until `slots` requests may go out without waiting (see RequestPacer.msUntilRemaining). */
  budgetWaitMs(slots: number): number | Promise<number> {
    return this.#pacer.msUntilRemaining(slots);
  }

  /** Requests the client may still send now without overrunning the budget. */
  budgetRemaining(): number | Promise<number> {
    return this.#pacer.remaining();
  }

  /** The pacer's budget now (remaining, per window, window length, time to reset), for estimates. */
  budgetOutlook(): BudgetOutlook | Promise<BudgetOutlook> {
    return this.#pacer.outlook();
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  async #call<T>(
    method: HttpMethod,
    path: string,
    success: z.ZodType<T>,
    options: { query?: Query; body?: unknown; textAnswer?: HeliactylErrorKind } = {},
  ): Promise<T> {
    const qs = options.query ? new URLSearchParams(stringValues(options.query)).toString() : '';
    const ctx: CallContext = {
      method,
      path: qs ? `${path}?${qs}` : path,
      timeoutMs: this.#timeoutMs,
      redact: this.#redact,
      ...(options.textAnswer ? { textAnswer: options.textAnswer } : {}),
    };
    try {
      await this.#pacer.acquire();
    } catch (error) {
      if (!(error instanceof BudgetExhaustedError)) throw error;
      throw new HeliactylError({
        kind: 'rate_limited',
        method,
        path: ctx.path,
        retryAfterMs: error.retryAfterMs,
        mayHaveReachedServer: false,
      });
    }

    let res: UpstreamResponse;
    try {
      res = await this.#transport.request({
        method,
        path,
        ...(options.query ? { query: options.query } : {}),
        ...(options.body === undefined ? {} : { body: options.body }),
        headers: this.#headers,
      });
    } catch (error) {
      this.#pacer.abandon();
      if (error instanceof TransportError) throw transportFailure(error, ctx);
      throw error;
    }

    this.#pacer.observe(res.headers);
    try {
      return interpretResponse(res, success, ctx);
    } catch (error) {
      if (error instanceof HeliactylError && error.kind === 'rate_limited') {
        this.#pacer.block(error.retryAfterMs ?? 60_000);
      }
      throw error;
    }
  }
}

function stringValues(query: Query): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]));
}
