import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultSwitch, readBody, type RecordedRequest } from '../faults.js';
import { checkMessageLimits } from './message-limits.js';
import { answer429, type RateLimiter } from './rate-limiter.js';
import { parseRequestBody } from './request-body.js';
import type { Reply, RouteDefinition } from './route-definition.js';
import { checkBody } from './schema-validator.js';
import type { AttachmentStore } from './messages.js';

export interface SchemaViolation {
  method: string;
  /** The OpenAPI path template, e.g. `/channels/{channel_id}/messages`. */
  route: string;
  /** The concrete request path. */
  path: string;
  errors: string[];
}

export interface RestPipeline {
  routes: RouteDefinition[];
  faults: FaultSwitch;
  attachments: AttachmentStore;
  botToken: string;
  requests: RecordedRequest[];
  violations: SchemaViolation[];
  recordRequests: boolean;
  rateLimiter(): RateLimiter | undefined;
  onRateLimited(): void;
}

const API_PREFIX = '/api';

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const at = url.indexOf('?');
  return at < 0
    ? { path: url, query: new URLSearchParams() }
    : { path: url.slice(0, at), query: new URLSearchParams(url.slice(at + 1)) };
}

/**
 * One request through the fake: record → faults → route → auth → rate limit →
 * schema and limit checks → handler, which sees when the request arrived. Kept linear and allocation-light: it
 * runs thousands of times per second in the benchmark.
 */
async function handle(
  pipeline: RestPipeline,
  req: IncomingMessage,
  res: ServerResponse,
  receivedAt: number,
): Promise<void> {
  const method = req.method ?? 'GET';
  const { path: rawPath, query } = splitUrl(req.url ?? '/');
  // discord.js URL-encodes `@original`; decode it so recorded paths, fault
  // rules and routes all see the spelling Discord's docs use.
  const path = rawPath.replace(/%40original$/i, '@original');
  const raw = await readBody(req);
  const parsed = await parseRequestBody(req.headers['content-type'], raw);
  if (pipeline.recordRequests) {
    pipeline.requests.push({
      method,
      path,
      query: Object.fromEntries(query),
      headers: req.headers,
      rawBody: raw.toString('utf8'),
      body: parsed.json,
      at: performance.now(),
    });
  }
  if (await pipeline.faults.apply(req, res, path)) return;
  // A delaying fault models the network: the request reached "Discord" only now.
  if (pipeline.faults.delayed.has(req)) receivedAt = performance.now();

  if (method === 'GET' && path.startsWith('/attachments/')) {
    const file = pipeline.attachments.get(path);
    if (!file) return send(res, { status: 404, body: { message: '404: Not Found', code: 0 } }, {});
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
    return;
  }

  const apiPath = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : path;
  let route: RouteDefinition | undefined;
  let match: RegExpExecArray | null = null;
  for (const candidate of pipeline.routes) {
    if (candidate.method !== method) continue;
    match = candidate.pattern.exec(apiPath);
    if (match) {
      route = candidate;
      break;
    }
  }
  if (!route || !match) return send(res, { status: 404, body: { message: '404: Not Found', code: 0 } }, {});
  const params = { ...match.groups };

  if (route.auth === 'bot' && req.headers.authorization !== `Bot ${pipeline.botToken}`) {
    return send(res, { status: 401, body: { message: '401: Unauthorized', code: 0 } }, {});
  }

  let headers: Record<string, string> = {};
  const limiter = pipeline.rateLimiter();
  const major = route.majorParameter(params);
  if (limiter && major !== null) {
    const verdict = limiter.take(method, route.template, major);
    headers = verdict.headers;
    if (verdict.retryAfter !== undefined) {
      pipeline.onRateLimited();
      answer429(res, verdict.retryAfter, headers);
      return;
    }
  }

  if (parsed.error) return send(res, { status: 400, body: { message: parsed.error, code: 50109 } }, headers);

  const errors: string[] = [];
  let discordErrors: Record<string, unknown> = {};
  if (method !== 'GET' && method !== 'DELETE') {
    const schema = checkBody(method, route.template, parsed.json);
    errors.push(...schema.errors);
    discordErrors = schema.discordErrors;
    const located = route.messageIn?.(parsed.json);
    if (located) {
      errors.push(...checkMessageLimits(located.message, located.basePath, discordErrors).errors);
    }
  }
  if (errors.length > 0) {
    pipeline.violations.push({ method, route: route.template, path, errors });
    const body = { code: 50035, message: 'Invalid Form Body', errors: discordErrors };
    return send(res, { status: 400, body }, headers);
  }

  const reply = await route.handle({ params, query, json: parsed.json, files: parsed.files, receivedAt });
  if (reply.violation)
    pipeline.violations.push({ method, route: route.template, path, errors: reply.violation });
  send(res, reply, headers);
}

export async function startRestServer(pipeline: RestPipeline): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    // Stamped first: what the fake then spends reading, routing and validating is not the caller's time.
    handle(pipeline, req, res, performance.now()).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      send(res, { status: 500, body: { message: `Fake Discord error: ${String(error)}`, code: 0 } }, {});
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}
