import type { z } from 'zod';
import { HttpTransport, type HttpMethod, type UpstreamRequest } from '../http/upstream.js';
import { observerFor, type UpstreamLatency } from '../http/latency.js';
import { interpret, refusedStreamError, transportFailure, type ApiResult } from './answers.js';
import { ConsoleStream } from './console-stream.js';
import { parseLimits } from './limits.js';
import { AtomicHostInputError } from './errors.js';
import {
  backupListSchema,
  backupOneSchema,
  commandResultSchema,
  createFolderResultSchema,
  deleteBackupResultSchema,
  deleteResultSchema,
  fileContentsSchema,
  fileListSchema,
  meSchema,
  powerResultSchema,
  renameResultSchema,
  serverDetailsSchema,
  serverListSchema,
  serverStatusSchema,
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

/** A service id as the API and the `server` option carry it. */
export type ServerId = number | string;

export interface AtomicHostClientOptions {
  /** e.g. `https://atomichost.xyz/api/client/v1` */
  baseUrl: string;
  timeoutMs: number;
  /** Pool size; each open console stream holds one connection. */
  connections?: number;
  /** Told each request's duration and status (the bot's metrics). */
  latency?: UpstreamLatency;
}

/** The documented key format. Check it before storing a key. */
export const API_KEY_PATTERN = /^ah_[A-Za-z0-9]{52}$/;

export function isWellFormedApiKey(key: string): boolean {
  return API_KEY_PATTERN.test(key);
}

function pathSegment(value: ServerId, what: string): string {
  const text = String(value);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw new AtomicHostInputError(`That isn't a valid ${what} id.`);
  return text;
}

/** File contents may be large; every other answer is small (see DEFAULT_BODY_LIMIT). */
export const FILE_READ_LIMIT = 16 * 1024 * 1024;

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
      throw await refusedStreamError(response, method, path);
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
    const onLatency = observerFor('atomichost', options.latency);
    this.#transport = new HttpTransport({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      connections: options.connections ?? 128,
      ...(onLatency ? { onLatency } : {}),
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
