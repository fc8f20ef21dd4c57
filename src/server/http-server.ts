import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyError } from 'fastify';
import { jsonError, type HttpServerDeps } from './deps.js';
import { registerVoteRoutes } from './routes/votes.js';
import { registerGrantRoutes } from './routes/grants.js';

/** Largest request body accepted (votes and grant requests are a few hundred bytes). */
export const BODY_LIMIT_BYTES = 16 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received (signatures are computed over it). */
    rawBody: string;
  }
}

/**
 * The bot's one HTTP server: health, readiness, metrics, vote webhooks and
 * the grant API. Every error is JSON; bodies are capped; the raw body is
 * kept for signature checks.
 */
export function buildHttpServer(deps: HttpServerDeps): FastifyInstance {
  const app = Fastify({
    // Per-request lines only at warn and above: webhooks and scrapes would flood the info log.
    loggerInstance: deps.logger.child({ module: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  app.decorateRequest('rawBody', '');
  app.removeAllContentTypeParsers();
  // Every body is read as text (capped by bodyLimit); routes parse and validate it themselves.
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = typeof body === 'string' ? body : body.toString('utf8');
    done(null, request.rawBody);
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status === 413)
      return reply
        .status(413)
        .send(jsonError('payload_too_large', `The body is over ${BODY_LIMIT_BYTES} bytes`));
    if (status >= 500) {
      deps.logger.error({ err: error }, 'HTTP request failed');
      return reply.status(500).send(jsonError('internal', 'Something went wrong; nothing was changed'));
    }
    return reply.status(status).send(jsonError('bad_request', error.message));
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(jsonError('not_found', 'No such route')),
  );

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const discord = deps.readiness.discordConnected;
    const [store, redis] = await Promise.all([deps.store.ping(), deps.redisAnswers?.()]);
    // Redis is reported (and required) only when REDIS_URL is set.
    const ready = discord && store && redis !== false;
    const body = {
      status: ready ? 'ready' : 'not ready',
      discord,
      store,
      ...(redis === undefined ? {} : { redis }),
    };
    return reply.status(ready ? 200 : 503).send(body);
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await deps.metrics.render();
    return reply.header('content-type', contentType).send(body);
  });
  registerVoteRoutes(app, deps);
  registerGrantRoutes(app, deps);
  return app;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(deps: HttpServerDeps): Promise<RunningHttpServer> {
  const app = buildHttpServer(deps);
  const address = await app.listen({ port: deps.config.HTTP_PORT ?? 0, host: deps.config.HTTP_HOST });
  deps.logger.info({ address }, 'HTTP server listening');
  return { url: address, close: () => app.close() };
}
