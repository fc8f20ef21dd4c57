import type { Server } from 'node:http';
import { FaultSwitch, type RecordedRequest } from '../faults.js';
import { WAIT_MS, type FakeInteraction } from './fake-interaction.js';
import { FakeGateway } from './gateway.js';
import { botTokenFor } from './ids.js';
import {
  buildAutocomplete,
  buildButton,
  buildChatInput,
  buildModalSubmit,
  type AutocompleteInput,
  type BuiltInteraction,
  type ButtonInput,
  type ChatInputInput,
  type ModalSubmitInput,
} from './interaction-builders.js';
import type { FakeAttachment, FakeMessage, FakeUser } from './messages.js';
import { answer429, bucketHash, RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { createRoutes } from './rest-routes.js';
import type { RouteDefinition } from './route-definition.js';
import { loadSchema, validatorFor } from './schema-validator.js';
import { type SchemaViolation, startRestServer } from './rest-server.js';
import { type ChannelMessageEdit, DiscordState, INITIAL_RESPONSE_MS } from './state.js';
import type { FakeChannel } from './world.js';

export interface FakeDiscordOptions {
  rateLimit?: RateLimitOptions;
  botToken?: string;
  /** Initial-response deadline like Discord's 3 s (default); Infinity disables it. */
  callbackDeadlineMs?: number;
  /** Keep every request in `requests` (default true); benchmarks may turn it off. */
  recordRequests?: boolean;
}

/**
 * A local Discord (REST on /api/v10 + JSON gateway) that the real discord.js
 * Client logs in to. Tests inject interactions and read back what the bot did.
 */
export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly violations: SchemaViolation[] = [];
  readonly faults: FaultSwitch;
  readonly botToken: string;
  rateLimit: RateLimitOptions | undefined;
  #limiter: { options: RateLimitOptions; limiter: RateLimiter } | undefined;
  #rateLimitHits = 0;
  readonly #state: DiscordState;
  #server: Server | undefined;
  #routes: RouteDefinition[] = [];
  #gateway: FakeGateway | undefined;
  #port = 0;

  private constructor(options: FakeDiscordOptions) {
    this.#state = new DiscordState(
      () => `http://127.0.0.1:${this.#port}`,
      options.callbackDeadlineMs ?? INITIAL_RESPONSE_MS,
    );
    this.botToken = options.botToken ?? botTokenFor(this.#state.world.botUser.id);
    this.rateLimit = options.rateLimit;
    this.faults = new FaultSwitch((res, retryAfter) => {
      this.#rateLimitHits += 1;
      answer429(res, retryAfter, { 'x-ratelimit-bucket': bucketHash('fault') });
    });
  }

  /** Fails at once (one line naming the file) when Discord's OpenAPI schema is missing. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    loadSchema();
    const fake = new FakeDiscord(options);
    fake.#gateway = await FakeGateway.start(fake.#state.world, fake.botToken);
    const gateway = fake.#gateway;
    fake.#routes = createRoutes(fake.#state, () => gateway.url);
    const { server, port } = await startRestServer({
      routes: fake.#routes,
      faults: fake.faults,
      attachments: fake.#state.attachments,
      botToken: fake.botToken,
      requests: fake.requests,
      violations: fake.violations,
      recordRequests: options.recordRequests ?? true,
      rateLimiter: () => fake.#currentLimiter(),
      onRateLimited: () => {
        fake.#rateLimitHits += 1;
      },
    });
    fake.#server = server;
    fake.#port = port;
    return fake;
  }

  /** The limiter follows `rateLimit`; a new options object starts fresh buckets. */
  #currentLimiter(): RateLimiter | undefined {
    if (!this.rateLimit) return undefined;
    if (this.#limiter?.options !== this.rateLimit) {
      this.#limiter = { options: this.rateLimit, limiter: new RateLimiter(this.rateLimit) };
    }
    return this.#limiter.limiter;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }
  get gatewayUrl(): string {
    return this.#gateway?.url ?? '';
  }
  get applicationId(): string {
    return this.#state.world.applicationId;
  }
  get botUserId(): string {
    return this.#state.world.botUser.id;
  }
  get guildId(): string {
    return this.#state.world.guildId;
  }
  get channelId(): string {
    return this.#state.world.channelId;
  }
  /** The default interaction user's id. */
  get testUserId(): string {
    return this.#state.world.testUser.id;
  }
  /** Initial-response deadline in ms (Discord: 3000); settable, Infinity disables it. */
  get callbackDeadlineMs(): number {
    return this.#state.callbackDeadlineMs;
  }
  set callbackDeadlineMs(ms: number) {
    this.#state.callbackDeadlineMs = ms;
  }
  /** 429 answers served (rate limiter and rate_limit faults). */
  get rateLimitHits(): number {
    return this.#rateLimitHits;
  }
  get commands(): { global: unknown[]; guild: Map<string, unknown[]> } {
    return this.#state.commands;
  }
  /** Every PATCH of a channel message, with arrival time (performance.now()). */
  get channelEdits(): readonly ChannelMessageEdit[] {
    return this.#state.channelEdits;
  }

  waitForReady(): Promise<void> {
    return this.#requireGateway().waitForReady();
  }

  /** What GET /gateway/bot recommends in `shards` (SHARD_COUNT=auto); default 1. */
  get recommendedShards(): number {
    return this.#state.recommendedShards;
  }
  set recommendedShards(count: number) {
    this.#state.recommendedShards = count;
  }

  /**
   * Adds a guild the bot is in, with a "general" channel. Given `[shard, count]`
   * its id routes to that shard; a shard connecting later gets it in READY.
   */
  addGuild(name: string, onShard?: [number, number]): { guildId: string; channelId: string } {
    return this.#state.world.addGuild(name, onShard);
  }

  /** How many times shard `shardId` has identified (each new shard process identifies once). */
  gatewayIdentifies(shardId: number): number {
    return this.#requireGateway().identifies(shardId);
  }

  /** Resolves once shard `shardId` is connected and has identified more than `identifiesBefore` times. */
  waitForShard(shardId: number, identifiesBefore = 0, timeoutMs = WAIT_MS): Promise<void> {
    const gateway = this.#requireGateway();
    return this.#waitForSessions(
      () => gateway.shardConnected(shardId) && gateway.identifies(shardId) > identifiesBefore,
      `shard ${shardId} to identify`,
      timeoutMs,
    );
  }

  /** Resolves once shard `shardId` has no connection left (its process stopped or was killed). */
  waitForShardDisconnected(shardId: number, timeoutMs = WAIT_MS): Promise<void> {
    const gateway = this.#requireGateway();
    return this.#waitForSessions(
      () => !gateway.shardConnected(shardId),
      `shard ${shardId} to disconnect`,
      timeoutMs,
    );
  }

  #waitForSessions(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const gateway = this.#requireGateway();
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const stop = gateway.onSessionChange(() => {
        if (!done()) return;
        stop();
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Closes the bot's gateway connections (resumable), as a network blip would; returns how many. */
  dropGatewayConnections(): number {
    return this.#requireGateway().dropConnections();
  }

  /** Expires every gateway session and drops its connection: the next RESUME is refused (INVALID_SESSION). */
  invalidateGatewaySessions(): number {
    return this.#requireGateway().invalidateSessions();
  }

  /** How many gateway RESUMEs the fake has answered with RESUMED. */
  get gatewayResumes(): number {
    return this.#requireGateway().resumes;
  }

  /** Resolves when `predicate` holds; re-checked on every change to messages, interactions or commands. */
  waitFor(predicate: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    return this.#state.changes.waitFor(predicate, timeoutMs, 'fake Discord state');
  }

  chatInput(input: ChatInputInput): FakeInteraction {
    return this.#dispatch(input.roles, buildChatInput(this.#state, input));
  }

  autocomplete(input: AutocompleteInput): FakeInteraction {
    return this.#dispatch(input.roles, buildAutocomplete(this.#state, input));
  }

  button(input: ButtonInput): FakeInteraction {
    return this.#dispatch(input.roles, buildButton(this.#state, input, this.#state.world.botUser));
  }

  modalSubmit(input: ModalSubmitInput): FakeInteraction {
    return this.#dispatch(input.roles, buildModalSubmit(this.#state, input));
  }

  /** A file "uploaded" by a user: pass its id as an ATTACHMENT (type 11) option value. Served at its url. */
  addUpload(
    filename: string,
    content: string | Uint8Array,
    contentType = 'application/octet-stream',
  ): FakeAttachment {
    return this.#state.addUpload(filename, content, contentType);
  }

  /** Adds a text channel to a guild (announced with CHANNEL_CREATE when its shard is connected). */
  addTextChannel(name: string, guildId = this.guildId): FakeChannel {
    const channel = this.#state.world.addTextChannel(name, guildId);
    this.#gateway?.dispatchIfConnected('CHANNEL_CREATE', channel, guildId);
    return channel;
  }

  /** Names a user: interactions by `id`, and options naming it, carry this username. */
  /** Deletes a channel: its messages go with it, later requests answer 10003 Unknown Channel. */
  deleteChannel(channelId: string): void {
    this.#state.world.channels.delete(channelId);
    for (const message of [...(this.#state.channelMessages.get(channelId) ?? [])])
      this.#state.forgetMessage(message);
    this.#state.changes.notify();
  }

  /** Someone deletes a message in the client: later requests for it answer 10008 Unknown Message. */
  deleteMessage(messageId: string): void {
    const message = this.#state.findMessage(messageId);
    if (message) this.#state.forgetMessage(message);
    this.#state.changes.notify();
  }

  /** The bot loses (or regains) access to a channel: message requests there answer 403 50001. */
  denyAccess(channelId: string, denied = true): void {
    if (denied) this.#state.world.deniedChannels.add(channelId);
    else this.#state.world.deniedChannels.delete(channelId);
  }

  /** Messages the bot sent to `userId` by DM. */
  dms(userId: string): FakeMessage[] {
    for (const dm of this.#state.world.dmChannels.values()) {
      if (dm.recipients[0]?.id === userId) return this.channelMessages(dm.id);
    }
    return [];
  }

  addUser(id: string, username: string): FakeUser {
    return this.#state.world.addUser(id, username);
  }

  /** Calls `listener` on every change to messages, interactions or commands; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    return this.#state.changes.subscribe(listener);
  }

  /** Messages created with POST /channels/{c}/messages (edits applied, deletions removed). */
  channelMessages(channelId = this.channelId): FakeMessage[] {
    return this.#state.channelMessages.get(channelId) ?? [];
  }

  /** Any message the fake knows: channel messages, interaction replies and follow-ups. */
  message(id: string): FakeMessage | undefined {
    return this.#state.findMessage(id);
  }

  /**
   * Compiles every route's body validator now (about 0.5 s) instead of on
   * each route's first request — call it before timing anything.
   */
  warmUp(): void {
    for (const route of this.#routes) {
      if (route.method !== 'GET' && route.method !== 'DELETE') validatorFor(route.method, route.template);
    }
  }

  #dispatch(roles: string[] | undefined, built: BuiltInteraction): FakeInteraction {
    const gateway = this.#requireGateway();
    const { world } = this.#state;
    // A member's roles exist in the guild: discord.js drops unknown ids from
    // member.roles.cache, so announce new role ids before the interaction
    // (to every connected guild; the others get them in GUILD_CREATE).
    for (const id of roles ?? []) {
      if (world.roles.has(id)) continue;
      const role = world.ensureRole(id);
      for (const guildId of world.guilds.keys())
        gateway.dispatchIfConnected('GUILD_ROLE_CREATE', { guild_id: guildId, role }, guildId);
    }
    const guildId = typeof built.payload.guild_id === 'string' ? built.payload.guild_id : null;
    const record = this.#state.addInteraction(built);
    gateway.dispatch('INTERACTION_CREATE', built.payload, guildId);
    return record;
  }

  #requireGateway(): FakeGateway {
    if (!this.#gateway) throw new Error('FakeDiscord is not started');
    return this.#gateway;
  }

  async close(): Promise<void> {
    this.faults.releaseHanging();
    const server = this.#server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.#gateway?.close();
  }
}
