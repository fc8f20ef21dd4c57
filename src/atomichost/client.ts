import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { HttpTransport, TransportError, type HttpMethod, type UpstreamRequest } from '../http/upstream.js';
import { ConsoleStream } from './console-stream.js';
import { AtomicHostError, AtomicHostInputError } from './errors.js';
import { parseLimits, parseRetryAfter, type Limits } from './limits.js';
import {
  backupListSchema,
  backupOneSchema,
  commandResultSchema,
  createFolderResultSchema,
  deleteBackupResultSchema,
  deleteResultSchema,
  errorEnvelopeSchema,
  fileContentsSchema,
  fileListSchema,
  meSchema,
  powerResultSchema,
  renameResultSchema,
  serverDetailsSchema,
  serverListSchema,
  serverStatusSchema,
  successEnvelopeSchema,
  transferUrlSchema,
  writeResultSchema,
  type Backup,
  type CommandResult,
  type CreateBackupInput,
  type CreateFolderResult,
  type DeleteBackupResult,
  type DeleteResult,
  type FileContents,
  type FileList,
  type Me,
  type PowerResult,
  type PowerSignal,
  type RenameResult,
  type ServerDetails,
  type ServerStatus,
  type ServerSummary,
  type TransferUrl,
  type WriteResult,
} from './schemas.js';

/** Every successful call: the parsed `data` and the response's limit figures. */
export interface ApiResult<T> {
  data: T;
  limits: Limits;
}

/** A service id as the API and the `server` option carry it. */
export type ServerId = number | string;

export interface AtomicHostClientOptions {
  /** e.g. `https://atomichost.xyz/api/client/v1` */
  baseUrl: string;
  timeoutMs: number;
  /** Pool size; each open console stream holds one connection. */
  connections?: number;
}

/** The documented key format. Check it before storing a key. */
export const API_KEY_PATTERN = /^ah_[A-Za-z0-9]{52}$/;

export function isWellFormedApiKey(key: string): boolean {
  return API_KEY_PATTERN.test(key);
}

/** Largest error body read from a refused stream open. */
const ERROR_BODY_LIMIT = 64 * 1024;

function pathSegment(value: ServerId, what: string): string {
  const text = String(value);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw new AtomicHostInputError(`That isn't a valid ${what} id.`);
  return text;
}

/** File contents may be large; every other answer is small (see DEFAULT_BODY_LIMIT). */
export const FILE_READ_LIMIT = 16 * 1024 * 1024;

function transportFailure(error: unknown, method: HttpMethod, path: string): AtomicHostError {
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
function interpret<S extends z.ZodType>(
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
    body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The API as one key sees it. Cheap to create; the key lives in a private
 * field so it shows up in no log, inspect output or error.
 */
export class AtomicHostApi {
  readonly #transport: HttpTransport;
  readonly #key: string;
  readonly #streams: Set<ConsoleStream>;

  /** @internal Use AtomicHostClient.forKey. */
  constructor(transport: HttpTransport, key: string, streams: Set<ConsoleStream>) {
    this.#transport = transport;
    this.#key = key;
    this.#streams = streams;
  }

  #headers(accept: string): Record<string, string> {
    return { authorization: `Bearer ${this.#key}`, accept };
  }

  async #call<S extends z.ZodType>(
    method: HttpMethod,
    path: string,
    schema: S,
    extra: Pick<UpstreamRequest, 'query' | 'body' | 'maxBodyBytes'> = {},
  ): Promise<ApiResult<z.output<S>>> {
    let response;
    try {
      response = await this.#transport.request({
        method,
        path,
        ...extra,
        headers: this.#headers('application/json'),
      });
    } catch (error) {
      throw transportFailure(error, method, path);
    }
    return interpret(response, method, path, schema);
  }

  #server(id: ServerId, rest = ''): string {
    return `/servers/${pathSegment(id, 'server')}${rest}`;
  }

  async me(): Promise<ApiResult<Me>> {
    return this.#call('GET', '/me', meSchema);
  }

  async listServers(): Promise<ApiResult<ServerSummary[]>> {
    return this.#call('GET', '/servers', serverListSchema);
  }

  async getServer(id: ServerId): Promise<ApiResult<ServerDetails>> {
    return this.#call('GET', this.#server(id), serverDetailsSchema);
  }

  async getStatus(id: ServerId): Promise<ApiResult<ServerStatus>> {
    return this.#call('GET', this.#server(id, '/status'), serverStatusSchema);
  }

  async power(id: ServerId, signal: PowerSignal): Promise<ApiResult<PowerResult>> {
    return this.#call('POST', this.#server(id, '/power'), powerResultSchema, { body: { signal } });
  }

  async sendCommand(id: ServerId, command: string): Promise<ApiResult<CommandResult>> {
    return this.#call('POST', this.#server(id, '/console/command'), commandResultSchema, {
      body: { command },
    });
  }

  /** Paths go as given: run them through normalizeRemotePath first. */
  async listFiles(id: ServerId, path: string): Promise<ApiResult<FileList>> {
    return this.#call('GET', this.#server(id, '/files'), fileListSchema, { query: { path } });
  }

  async readFile(id: ServerId, path: string): Promise<ApiResult<FileContents>> {
    const result = await this.#call('GET', this.#server(id, '/files/contents'), fileContentsSchema, {
      query: { path },
      maxBodyBytes: FILE_READ_LIMIT,
    });
    return { data: { path: result.data.path ?? path, content: result.data.content }, limits: result.limits };
  }

  async writeFile(id: ServerId, path: string, content: string): Promise<ApiResult<WriteResult>> {
    return this.#call('POST', this.#server(id, '/files/write'), writeResultSchema, {
      body: { path, content },
    });
  }

  async deleteFiles(id: ServerId, root: string, files: string[]): Promise<ApiResult<DeleteResult>> {
    return this.#call('POST', this.#server(id, '/files/delete'), deleteResultSchema, {
      body: { root, files },
    });
  }

  async createFolder(id: ServerId, root: string, name: string): Promise<ApiResult<CreateFolderResult>> {
    return this.#call('POST', this.#server(id, '/files/create-folder'), createFolderResultSchema, {
      body: { root, name },
    });
  }

  async rename(id: ServerId, root: string, from: string, to: string): Promise<ApiResult<RenameResult>> {
    return this.#call('PUT', this.#server(id, '/files/rename'), renameResultSchema, {
      body: { root, from, to },
    });
  }

  /** A one-time URL that serves the file's bytes. */
  async downloadUrl(id: ServerId, path: string): Promise<ApiResult<TransferUrl>> {
    return this.#call('GET', this.#server(id, '/files/download'), transferUrlSchema, { query: { path } });
  }

  /** A one-time URL that accepts an upload into the folder `path`. */
  async uploadUrl(id: ServerId, path: string): Promise<ApiResult<TransferUrl>> {
    return this.#call('GET', this.#server(id, '/files/upload-url'), transferUrlSchema, { query: { path } });
  }

  async listBackups(id: ServerId): Promise<ApiResult<Backup[]>> {
    return this.#call('GET', this.#server(id, '/backups'), backupListSchema);
  }

  async createBackup(id: ServerId, input: CreateBackupInput = {}): Promise<ApiResult<Backup>> {
    const body: Record<string, string> = {};
    if (input.name !== undefined) body.name = input.name;
    if (input.ignored !== undefined) body.ignored = input.ignored;
    return this.#call('POST', this.#server(id, '/backups'), backupOneSchema, { body });
  }

  async getBackup(id: ServerId, uuid: string): Promise<ApiResult<Backup>> {
    return this.#call('GET', this.#server(id, `/backups/${pathSegment(uuid, 'backup')}`), backupOneSchema);
  }

  async deleteBackup(id: ServerId, uuid: string): Promise<ApiResult<DeleteBackupResult>> {
    return this.#call(
      'DELETE',
      this.#server(id, `/backups/${pathSegment(uuid, 'backup')}`),
      deleteBackupResultSchema,
    );
  }

  /**
   * Opens the SSE console (5 credits). Resolves once the server accepted it;
   * refusals reject with AtomicHostError like any other call. Aborting
   * `signal` or calling `close()` hangs up the connection.
   */
  async openConsole(id: ServerId, options: { signal?: AbortSignal } = {}): Promise<ConsoleStream> {
    const method = 'GET';
    const path = this.#server(id, '/console/stream');
    let response;
    try {
      response = await this.#transport.stream({
        method,
        path,
        headers: this.#headers('text/event-stream'),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw transportFailure(error, method, path);
    }
    const isEventStream = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
    if (response.status !== 200 || !isEventStream) {
      let text: string;
      try {
        text = await readCapped(response.body, ERROR_BODY_LIMIT);
      } catch (error) {
        throw transportFailure(error, method, path);
      }
      const answer = { status: response.status, headers: response.headers, text };
      const json = parseJson(text);
      // A 2xx that is not an event stream can only be malformed.
      throw (
        refusalOf(answer, json.ok ? json.value : undefined, method, path) ?? malformed(answer, method, path)
      );
    }
    const stream: ConsoleStream = new ConsoleStream(response.body, parseLimits(response.headers), {
      ...(options.signal ? { signal: options.signal } : {}),
      onFinish: () => this.#streams.delete(stream),
    });
    if (!stream.closed) this.#streams.add(stream);
    return stream;
  }
}

/** One shared keep-alive pool for every user's key. */
export class AtomicHostClient {
  readonly #transport: HttpTransport;
  readonly #streams = new Set<ConsoleStream>();

  constructor(options: AtomicHostClientOptions) {
    this.#transport = new HttpTransport({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      connections: options.connections ?? 128,
    });
  }

  /**
   * A view that sends `apiKey`. Refuses keys that could not travel in a
   * header; check the documented format with isWellFormedApiKey before storing.
   */
  forKey(apiKey: string): AtomicHostApi {
    if (!/^[\x21-\x7e]*$/.test(apiKey))
      throw new AtomicHostInputError("That doesn't look like an AtomicHost API key.");
    return new AtomicHostApi(this.#transport, apiKey, this.#streams);
  }

  /** Console streams currently open through this client. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Hangs up open console streams, then closes the pool. */
  async close(): Promise<void> {
    for (const stream of [...this.#streams]) stream.close();
    await this.#transport.close();
  }
}
