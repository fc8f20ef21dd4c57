import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { proxyRequests } from '@discordjs/proxy';
import { REST } from '@discordjs/rest';
import { ConfigError, loadProxyConfig } from '../config.js';
import { createLogger } from '../logger.js';

/**
 * `npm run proxy`: one process between every bot process and Discord's REST
 * API, so Discord's rate limits (per route and the global one) are counted in
 * one place. Tokens pass through from each request's Authorization header;
 * the proxy holds none. It answers a request it would have to delay past a
 * limit with 429 and Retry-After, which the bot's own REST client honours.
 */
function main(): void {
  let config;
  try {
    config = loadProxyConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write('The Discord proxy cannot start — fix the configuration:\n');
      for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL }).child({ module: 'discord-proxy' });
  // No retries: a write that may have reached Discord is never sent twice (the bot decides what to retry).
  const rest = new REST({
    api: config.DISCORD_PROXY_UPSTREAM_URL,
    timeout: config.HTTP_TIMEOUT_MS,
    retries: 0,
  });
  const handle = proxyRequests(rest);
  const server = createServer((req, res) => {
    res.on('finish', () =>
      logger.debug({ method: req.method, route: req.url?.split('?')[0], status: res.statusCode }, 'Proxied'),
    );
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error: unknown) => {
        logger.warn({ err: error, method: req.method }, 'Discord could not be reached through the proxy');
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Discord could not be reached through the proxy', code: 0 }));
      });
  });
  server.listen(config.DISCORD_PROXY_PORT, config.DISCORD_PROXY_HOST, () => {
    const { address, port } = server.address() as AddressInfo;
    logger.info({ url: `http://${address}:${port}/api` }, 'Discord REST proxy listening');
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
