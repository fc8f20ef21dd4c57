import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { connectRedis, whenReady } from '../../src/coordination/redis.js';
import { silentLogger } from './silent-logger.js';

/**
 * Redis for the coordination suite: the server of TEST_REDIS_URL (`.ci/run`
 * starts one), each test under its own key prefix, so parallel tests and
 * engineers never meet. Without TEST_REDIS_URL those tests are skipped with
 * this reason; CI always sets it.
 */

// Tests read the environment only through helpers (the bot itself reads it only in src/config.ts).
const redisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;

export const redisSkip: string | undefined = redisUrl
  ? undefined
  : 'TEST_REDIS_URL is not set: the Redis coordination tests are skipped (.ci/run sets it; locally TEST_REDIS_URL=redis://127.0.0.1:6379)';

export function testRedisUrl(): string {
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set');
  return redisUrl;
}

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `hostlink-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** A connected client under `prefix` (one "process"); `url` defaults to TEST_REDIS_URL. */
export async function connectTestRedis(prefix: string, url = testRedisUrl()): Promise<Redis> {
  const redis = connectRedis({ url, prefix, logger: silentLogger });
  if (!(await whenReady(redis, 10_000))) throw new Error(`Redis at ${url} did not answer`);
  return redis;
}

/** Deletes every key under `prefix` (a plain client: SCAN patterns are not prefixed). */
export async function dropPrefix(prefix: string): Promise<void> {
  const admin = await connectTestRedis('');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await admin.del(...keys);
    } while (cursor !== '0');
  } finally {
    admin.disconnect();
  }
}

/**
 * Resolves when Redis expires `key` (a keyspace event: the server must run
 * with `notify-keyspace-events Ex`, as startOwnRedis's do). Subscribe
 * before the expiry can happen.
 */
export async function expiryOf(url: string, key: string): Promise<{ expired: Promise<void>; close(): void }> {
  const subscriber = await connectTestRedis('', url);
  const channel = '__keyevent@0__:expired';
  let resolveExpired!: () => void;
  const expired = new Promise<void>((resolve) => (resolveExpired = resolve));
  subscriber.on('message', (_channel: string, expiredKey: string) => {
    if (expiredKey === key) resolveExpired();
  });
  await subscriber.subscribe(channel);
  return { expired, close: () => subscriber.disconnect() };
}

/** A port nobody listens on (taken from the OS, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface OwnRedis {
  url: string;
  /** SIGKILLs the server (an outage), waits for its exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port, so an outage can be
 * caused, and expiries announced, without touching the shared server on 6379.
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ReturnType<typeof spawn> | undefined;
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
          // Expiries are announced, so tests wait for them as events.
          ...['--notify-keyspace-events', 'Ex'],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = proc;
      let out = '';
      proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
      proc.on('error', reject);
    });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await exited;
    },
    restart: start,
  };
}
