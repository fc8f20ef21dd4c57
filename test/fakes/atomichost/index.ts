import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeNotifier, WAIT_MS } from '../discord/fake-interaction.js';
import { FaultSwitch, readBody, type RecordedRequest } from '../faults.js';
import { RateLimiter } from './limits.js';
import { allRoutes, ApiDispatcher } from './routes.js';
import { StreamHub, type StreamRecord } from './sse.js';
import {
  FakeState,
  type AddServiceInput,
  type FakeAccount,
  type FakeService,
  type Permission,
  type PowerState,
  type ServiceResources,
} from './state.js';
import { Transfers } from './transfer.js';

/**
 * A local AtomicHost User API (specs/atomichost-user-api.md) over real HTTP
 * on 127.0.0.1, holding its state in memory. The API lives under
 * `/api/client/v1`; one-time transfer URLs under `/transfer/…`.
 * Shapes the spec leaves open are documented in the route files:
 * server-routes.ts, file-routes.ts, backup-routes.ts, transfer.ts, sse.ts;
 * the request pipeline (auth → rate → credits → validation → route) in routes.ts.
 * Faults (test/fakes/faults.ts) apply before routing and touch no credits.
 */

export const API_PREFIX = '/api/client/v1';

export interface FakeAtomicHostOptions {
  dailyCredits?: number;
  ratePerMinute?: number;
  maxStreamMs?: number;
  maxStreamsPerAccount?: number;
  /** Gap between `: keepalive` comments on streams. */
  keepaliveMs?: number;
}

export type { FakeAccount, FakeService, FakeBackup, Permission, PowerState } from './state.js';
export type { StreamRecord } from './sse.js';

/** Upload bodies may be large; everything else is small. */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

export class FakeAtomicHost {
  readonly requests: RecordedRequest[] = [];
  readonly faults: FaultSwitch;
  /** Notified on every request received and every stream opened or closed. */
  readonly #changes = new ChangeNotifier();
  readonly #state: FakeState;
  readonly #streams: StreamHub;
  readonly #transfers: Transfers;
  readonly #api: ApiDispatcher;
  readonly #server: Server;
  #origin = '';

  private constructor(options: FakeAtomicHostOptions) {
    this.#state = new FakeState(options.dailyCredits ?? 2500);
    this.#streams = new StreamHub(options.maxStreamMs ?? 600_000, options.keepaliveMs ?? 15_000, () =>
      this.#changes.notify(),
    );
    this.#transfers = new Transfers(this.#state);
    this.#api = new ApiDispatcher(
      {
        state: this.#state,
        streams: this.#streams,
        transfers: this.#transfers,
        maxStreamsPerAccount: options.maxStreamsPerAccount ?? 3,
      },
      new RateLimiter(options.ratePerMinute ?? 120),
      allRoutes(() => this.#origin),
    );
    this.faults = new FaultSwitch((res, seconds) => this.#api.rateLimitFault(res, seconds));
    this.#server = createServer((req, res) => {
      this.#onRequest(req, res).catch((error: unknown) => {
        console.error('FakeAtomicHost failed:', error);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  static async start(options: FakeAtomicHostOptions = {}): Promise<FakeAtomicHost> {
    const fake = new FakeAtomicHost(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.#server.address() as AddressInfo;
    fake.#origin = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** What ATOMICHOST_API_URL is set to. */
  get url(): string {
    return `${this.#origin}${API_PREFIX}`;
  }

  get origin(): string {
    return this.#origin;
  }

  /** Every stream ever opened, with how and why it closed. */
  get streamHistory(): readonly StreamRecord[] {
    return this.#streams.history;
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req, BODY_LIMIT_BYTES);
    const rawBody = body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      parsed = undefined;
    }
    const isApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = isApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody: body.length > 65_536 ? `<${body.length} bytes>` : rawBody,
      body: parsed,
      at: Date.now(),
    });
    this.#changes.notify();
    if (await this.faults.apply(req, res, path)) return;
    if (isApi) return this.#api.handle(req, res, path, url, rawBody);
    if (await this.#transfers.handle(req, res, path, url, body)) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  // --- accounts and services -------------------------------------------------

  addAccount(input: { username: string; email?: string; banned?: boolean; admin?: boolean }): FakeAccount {
    return this.#state.addAccount(input);
  }

  /** New key for the account; the old one answers 401 invalid_key and its streams close. */
  regenerateKey(accountId: number): string {
    const old = this.#state.accounts.get(accountId)?.key;
    const key = this.#state.regenerateKey(accountId);
    this.#streams.close((s) => s.key === old, 'key_revoked');
    return key;
  }

  /** Bans the account: keys revoked, streams closed at once, further requests 403 account_banned. */
  ban(accountId: number): void {
    const account = this.#state.accounts.get(accountId);
    if (!account) throw new Error(`FakeAtomicHost: no account ${accountId}`);
    account.banned = true;
    this.#state.revokeKeys(accountId);
    this.#streams.close((s) => s.accountId === accountId, 'account_banned');
  }

  /** Lifts a ban; the old key stays revoked (401 invalid_key), as the spec says. */
  unban(accountId: number): void {
    const account = this.#state.accounts.get(accountId);
    if (account) account.banned = false;
  }

  addService(input: AddServiceInput): FakeService {
    return this.#state.addService(input);
  }

  share(serviceId: number, memberAccountId: number, permissions: Permission[]): void {
    this.#state.share(serviceId, memberAccountId, permissions);
    // A member who lost console access loses their open streams.
    if (!permissions.includes('console')) this.#closeMemberStreams(serviceId, memberAccountId);
  }

  unshare(serviceId: number, memberAccountId: number): void {
    this.#state.services.get(serviceId)?.members.delete(memberAccountId);
    this.#closeMemberStreams(serviceId, memberAccountId);
  }

  #closeMemberStreams(serviceId: number, accountId: number): void {
    this.#streams.close((s) => s.serviceId === serviceId && s.accountId === accountId, 'access_revoked');
  }

  /** The service is deleted: every request about it answers 404 from now on. */
  removeService(id: number): void {
    this.#state.services.delete(id);
  }

  service(id: number): FakeService | undefined {
    return this.#state.services.get(id);
  }

  account(id: number): FakeAccount | undefined {
    return this.#state.accounts.get(id);
  }

  // --- console streams -------------------------------------------------------

  /** Sends one `output` event to every open stream of the service; returns how many got it. */
  pushOutput(serviceId: number, line: string): number {
    return this.#streams.send(serviceId, 'output', line);
  }

  /** Pushes `lines` at `perSecond`, catching up in batches when timers fall behind. */
  async pushLines(serviceId: number, lines: string[], perSecond: number): Promise<void> {
    const start = performance.now();
    let sent = 0;
    while (sent < lines.length) {
      const due = Math.min(lines.length, Math.floor(((performance.now() - start) * perSecond) / 1000) + 1);
      for (; sent < due; sent += 1) this.pushOutput(serviceId, lines[sent] ?? '');
      if (sent < lines.length) {
        await sleep(Math.max(0, start + (sent * 1000) / perSecond - performance.now()));
      }
    }
  }

  /** Writes raw SSE text to every open stream of the service; returns how many got it. */
  pushRaw(serviceId: number, text: string | Uint8Array): number {
    return this.#streams.sendRaw(serviceId, text);
  }

  pushStatus(serviceId: number, state: PowerState): number {
    const service = this.#state.services.get(serviceId);
    if (service) service.state = state;
    return this.#streams.send(serviceId, 'status', state);
  }

  pushStats(serviceId: number, stats: Partial<ServiceResources>): number {
    const service = this.#state.services.get(serviceId);
    const merged = service ? Object.assign(service.resources, stats) : stats;
    return this.#streams.send(serviceId, 'stats', JSON.stringify({ ...merged, state: service?.state }));
  }

  pushError(serviceId: number, message: string): number {
    return this.#streams.send(serviceId, 'error', message);
  }

  /** Sends `closed` with `reason` and ends every stream of the service. */
  closeStreams(serviceId: number, reason = 'server_closed'): number {
    return this.#streams.close((s) => s.serviceId === serviceId, reason);
  }

  /** Cuts every stream of the service without a `closed` event (an unexpected disconnect). */
  dropStreams(serviceId: number): number {
    return this.#streams.drop((s) => s.serviceId === serviceId);
  }

  /** Resolves once `predicate` holds, re-checked at every request and stream change (no polling). */
  waitFor(predicate: () => boolean, timeoutMs = WAIT_MS, describe = 'fake AtomicHost state'): Promise<void> {
    return this.#changes.waitFor(predicate, timeoutMs, describe);
  }

  openStreams(accountId?: number): number {
    return this.#streams.count((s) => accountId === undefined || s.accountId === accountId);
  }

  async close(): Promise<void> {
    this.#streams.close(() => true, 'server_closed');
    this.faults.releaseHanging();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}
