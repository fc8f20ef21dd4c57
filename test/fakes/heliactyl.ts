import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultSwitch, readBody, type RecordedRequest } from './faults.js';
import { bodyParserStack, sendExpressHtml, sendJson, sendText } from './heliactyl/html.js';
import {
  DEFAULT_RATE_LIMIT,
  IpRateLimiter,
  sendTooManyRequests,
  type RateLimitOptions,
} from './heliactyl/rate-limit.js';
import { ROUTES, type LogFileState, type PterodactylFailure } from './heliactyl/routes.js';
import {
  HeliactylState,
  type AddUserInput,
  type FakeHeliactylUser,
  type Interaction,
  type PanelState,
  type Resources,
} from './heliactyl/state.js';

export type {
  AddUserInput,
  FakeHeliactylUser,
  Interaction,
  LogFileState,
  PanelState,
  PterodactylFailure,
  Resources,
};
export { PANEL_ACCOUNT_MISSING_TEXT } from './heliactyl/routes.js';

/** body-parser's `limit: '500kb'`. */
const BODY_LIMIT_BYTES = 500 * 1024;

export interface FakeHeliactylOptions {
  apiKey?: string;
  enabled?: boolean;
  rateLimit?: RateLimitOptions;
  /** The dashboard's clock, for its rate-limit windows; Date.now unless a test drives it. */
  now?: () => number;
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * The dashboard's body parsers: express.json() in strict mode (only objects
 * and arrays; an empty body is `{}`), express.text() for text/plain (the raw
 * string, '' when empty), and `{}` for anything else.
 */
function parseBody(req: IncomingMessage, raw: string): ParsedBody {
  const type = req.headers['content-type'] ?? '';
  if (/^text\/plain\b/i.test(type)) return { ok: true, value: raw };
  if (!/^application\/json\b/i.test(type) || raw.length === 0) return { ok: true, value: {} };
  const first = raw.trimStart()[0];
  if (first !== '{' && first !== '[') {
    return {
      ok: false,
      message: `SyntaxError: Unexpected token '${first ?? ''}', "${raw.slice(0, 20)}" is not valid JSON`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (error) {
    return { ok: false, message: `SyntaxError: ${(error as Error).message}` };
  }
}

/** Express with `trust proxy` on: the left-most X-Forwarded-For address, else the socket's. */
function clientAddress(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || (req.socket.remoteAddress ?? 'unknown');
}

/** Express routes are case-insensitive and ignore one trailing slash. */
function routeKey(method: string, path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/$/, '') : path;
  return `${method} ${trimmed.toLowerCase()}`;
}

/**
 * A local Heliactyl dashboard that answers the v3 admin API the way the real
 * one does (see notes/heliactyl-behaviour.md), not only as published.
 */
export class FakeHeliactyl {
  readonly requests: RecordedRequest[] = [];
  readonly faults: FaultSwitch;
  enabled: boolean;
  /** A panel failure for every account whose own `panel` state is 'ok'. */
  pterodactylFailure: PterodactylFailure = 'none';
  /** State of the log file userinteractions reads. */
  logFile: LogFileState = 'ok';
  readonly #state = new HeliactylState();
  readonly #limiter: IpRateLimiter;
  readonly #hanging = new Set<ServerResponse>();
  #hangWaiters: Array<() => void> = [];
  #server: Server | undefined;
  #url = '';

  private constructor(
    readonly apiKey: string,
    enabled: boolean,
    rateLimit: RateLimitOptions,
    now: () => number,
  ) {
    this.enabled = enabled;
    this.#limiter = new IpRateLimiter(rateLimit, now);
    this.faults = new FaultSwitch((res, retryAfterSeconds) =>
      sendTooManyRequests(res, rateLimit, retryAfterSeconds),
    );
  }

  static async start(options: FakeHeliactylOptions = {}): Promise<FakeHeliactyl> {
    const fake = new FakeHeliactyl(
      options.apiKey ?? 'hl_test_key_0123456789abcdef',
      options.enabled ?? true,
      options.rateLimit ?? DEFAULT_RATE_LIMIT,
      options.now ?? Date.now,
    );
    const server = createServer((req, res) => {
      fake.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendExpressHtml(res, 500, `Internal Server Error: ${String(error)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.#server = server;
    fake.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Dashboard root; the API lives under `${url}/api`. */
  get url(): string {
    return this.#url;
  }

  /** Package name → resources; 'default' and 'premium' to begin with. */
  get packages(): Map<string, Resources> {
    return this.#state.packages;
  }

  /** The activity log userinteractions greps (oldest first); push lines for other users here. */
  get log(): Interaction[] {
    return this.#state.log;
  }

  addUser(input: AddUserInput): void {
    this.#state.addUser(input);
  }

  /** Resolves when the next request is parked without an answer (a panel that fails or hangs). */
  nextHanging(): Promise<void> {
    return new Promise((resolve) => this.#hangWaiters.push(resolve));
  }

  /** Live state of one account, for assertions (and for tests that want to change it). */
  user(id: string): FakeHeliactylUser | undefined {
    return this.#state.users.get(id);
  }

  resetRateLimit(): void {
    this.#limiter.reset();
  }

  async close(): Promise<void> {
    this.faults.releaseHanging();
    for (const res of this.#hanging) res.socket?.destroy();
    this.#hanging.clear();
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const raw = (await readBody(req)).toString('utf8');
    const parsed = parseBody(req, raw);
    this.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      rawBody: raw,
      body: parsed.ok ? parsed.value : undefined,
      at: Date.now(),
    });

    if (await this.faults.apply(req, res, url.pathname)) return;
    // The body parsers run before the rate limiter: their 413 and 400 pages
    // are not counted and carry no RateLimit headers.
    if (Buffer.byteLength(raw) > BODY_LIMIT_BYTES) {
      const message = 'PayloadTooLargeError: request entity too large';
      return sendExpressHtml(res, 413, bodyParserStack(message, 'raw-body'));
    }
    if (!parsed.ok) return sendExpressHtml(res, 400, bodyParserStack(parsed.message, 'json'));
    // Counted before routing and auth, so 401s and 404s count too.
    if (!this.#limiter.hit(clientAddress(req), res)) return;

    const route = ROUTES.get(routeKey(method, url.pathname));
    if (!route) return sendExpressHtml(res, 404, `Cannot ${method} ${url.pathname}`);
    if (!this.#authorize(req, res)) return;

    const outcome = route({
      state: this.#state,
      query: url.searchParams,
      body: parsed.value,
      pterodactylFailure: this.pterodactylFailure,
      logFile: this.logFile,
    });
    switch (outcome.kind) {
      case 'json':
        return sendJson(res, 200, outcome.body);
      case 'text':
        return sendText(res, 200, outcome.text);
      case 'hang': {
        this.#hanging.add(res);
        res.on('close', () => this.#hanging.delete(res));
        const waiters = this.#hangWaiters;
        this.#hangWaiters = [];
        for (const resolve of waiters) resolve();
        return;
      }
    }
  }

  /** The dashboard's check(): disabled, then missing header, then exact `Bearer <key>`. */
  #authorize(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.enabled) {
      sendJson(res, 403, { status: 'error', message: 'API is disabled' });
      return false;
    }
    const header = req.headers.authorization;
    if (!header) {
      sendJson(res, 401, { status: 'error', message: 'Missing authorization header' });
      return false;
    }
    if (header !== `Bearer ${this.apiKey}`) {
      sendJson(res, 403, { status: 'error', message: 'Invalid API key' });
      return false;
    }
    return true;
  }
}
