import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { shardOf } from './ids.js';
import type { World } from './world.js';

/** Gateway opcodes the fake speaks. */
const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

const HEARTBEAT_INTERVAL_MS = 41_250;

interface Session {
  id: string;
  socket: WebSocket | undefined;
  sequence: number;
  shard: [number, number];
  ready: boolean;
}

interface GatewayFrame {
  op?: unknown;
  d?: unknown;
}

/**
 * A plain-JSON (no zlib) gateway on 127.0.0.1: HELLO, IDENTIFY → READY +
 * GUILD_CREATE, heartbeat ACKs, RESUME of a known session, and dispatches
 * routed to the shard that owns the guild, as Discord routes them.
 */
export class FakeGateway {
  readonly #server: WebSocketServer;
  readonly #sessions = new Map<string, Session>();
  readonly #readyWaiters: Array<() => void> = [];
  /** Called whenever a session identifies or loses its connection. */
  readonly #sessionListeners = new Set<() => void>();
  /** IDENTIFYs per shard id: a respawned shard process identifies anew. */
  readonly #identifies = new Map<number, number>();
  #resumes = 0;
  #port = 0;

  private constructor(
    private readonly world: World,
    private readonly botToken: string,
    server: WebSocketServer,
  ) {
    this.#server = server;
    server.on('connection', (socket) => this.#accept(socket));
  }

  static async start(world: World, botToken: string): Promise<FakeGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const gateway = new FakeGateway(world, botToken, server);
    gateway.#port = (server.address() as AddressInfo).port;
    return gateway;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get isReady(): boolean {
    for (const session of this.#sessions.values()) if (session.ready && session.socket) return true;
    return false;
  }

  waitForReady(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** The connected session of the shard that owns `guildId` (null: DMs, which go to shard 0). */
  #sessionFor(guildId: string | null): Session | undefined {
    for (const session of this.#sessions.values()) {
      if (session.ready && session.socket && shardOf(guildId, session.shard[1]) === session.shard[0])
        return session;
    }
    return undefined;
  }

  /**
   * Sends a dispatch to the shard that owns the guild ((guild_id >> 22) % shards;
   * null for DMs, which go to shard 0). Throws when that shard is not connected,
   * so a test fails loudly instead of waiting.
   */
  dispatch(event: string, data: unknown, guildId: string | null = this.world.guildId): void {
    const target = this.#sessionFor(guildId);
    if (!target) {
      const where = guildId === null ? 'DMs (shard 0)' : `guild ${guildId}`;
      throw new Error(`FakeDiscord: no gateway client is ready to receive ${event} for ${where}`);
    }
    this.#send(target, event, data);
  }

  /** Sends a dispatch when the guild's shard is connected; a shard that connects later gets it in GUILD_CREATE. */
  dispatchIfConnected(event: string, data: unknown, guildId: string): boolean {
    const target = this.#sessionFor(guildId);
    if (target) this.#send(target, event, data);
    return target !== undefined;
  }

  /** How many times shard `shardId` has identified (a new process identifies anew). */
  identifies(shardId: number): number {
    return this.#identifies.get(shardId) ?? 0;
  }

  /** True when shard `shardId` has a connected, ready session. */
  shardConnected(shardId: number): boolean {
    for (const session of this.#sessions.values())
      if (session.ready && session.socket && session.shard[0] === shardId) return true;
    return false;
  }

  /** Calls `listener` after each IDENTIFY and each lost connection; returns the unsubscribe. */
  onSessionChange(listener: () => void): () => void {
    this.#sessionListeners.add(listener);
    return () => this.#sessionListeners.delete(listener);
  }

  #sessionsChanged(): void {
    for (const listener of [...this.#sessionListeners]) listener();
  }

  #send(session: Session, event: string, data: unknown): void {
    session.sequence += 1;
    session.socket?.send(JSON.stringify({ op: Op.Dispatch, t: event, s: session.sequence, d: data }));
  }

  #accept(socket: WebSocket): void {
    let session: Session | undefined;
    socket.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS } }));
    socket.on('message', (raw) => {
      let frame: GatewayFrame;
      try {
        frame = JSON.parse(String(raw)) as GatewayFrame;
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      const d = (frame.d ?? {}) as Record<string, unknown>;
      switch (frame.op) {
        case Op.Heartbeat:
          socket.send(JSON.stringify({ op: Op.HeartbeatAck }));
          return;
        case Op.Identify:
          if (d.token !== this.botToken) {
            socket.close(4004, 'Authentication failed.');
            return;
          }
          session = this.#identify(socket, d);
          return;
        case Op.Resume: {
          const known = typeof d.session_id === 'string' ? this.#sessions.get(d.session_id) : undefined;
          if (d.token !== this.botToken || !known) {
            socket.send(JSON.stringify({ op: Op.InvalidSession, d: false }));
            return;
          }
          known.socket = socket;
          session = known;
          this.#resumes += 1;
          this.#send(known, 'RESUMED', null);
          this.#sessionsChanged();
          return;
        }
        default:
          // Presence updates, member requests, voice: accepted and ignored.
          return;
      }
    });
    socket.on('close', () => {
      if (session && session.socket === socket) session.socket = undefined;
      this.#sessionsChanged();
    });
    socket.on('error', () => undefined);
  }

  #identify(socket: WebSocket, d: Record<string, unknown>): Session {
    const shard: [number, number] =
      Array.isArray(d.shard) && d.shard.length === 2 ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      socket,
      sequence: 0,
      shard,
      ready: false,
    };
    this.#sessions.set(session.id, session);
    const owned = [...this.world.guilds.keys()].filter((guildId) => shardOf(guildId, shard[1]) === shard[0]);
    this.#send(session, 'READY', {
      v: 10,
      user: this.world.botUser,
      user_settings: {},
      guilds: owned.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.url,
      shard,
      application: { id: this.world.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });
    for (const guildId of owned) this.#send(session, 'GUILD_CREATE', this.world.guildCreate(guildId));
    session.ready = true;
    this.#identifies.set(shard[0], this.identifies(shard[0]) + 1);
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
    this.#sessionsChanged();
    return session;
  }

  /**
   * Closes every client connection as a network blip or a Discord restart
   * would (4000 "Unknown error": resumable). Sessions are kept, so a client
   * that RESUMEs gets RESUMED. Returns how many connections were closed.
   */
  dropConnections(code = 4000): number {
    let dropped = 0;
    for (const session of this.#sessions.values()) {
      if (!session.socket) continue;
      session.socket.close(code, 'Dropped by the test');
      session.socket = undefined;
      dropped += 1;
    }
    return dropped;
  }

  /**
   * Forgets every session and closes its connection (resumable code), as
   * Discord does when a session expires: the client's RESUME then gets
   * INVALID_SESSION (d: false) and it must IDENTIFY anew.
   */
  invalidateSessions(): number {
    const dropped = this.dropConnections();
    this.#sessions.clear();
    return dropped;
  }

  /** How many RESUMEs were answered with RESUMED. */
  get resumes(): number {
    return this.#resumes;
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
