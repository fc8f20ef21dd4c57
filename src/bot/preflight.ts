import { HttpTransport, TransportError } from '../http/upstream.js';
import type { Config } from '../config.js';

/**
 * A start failure a newcomer can act on: one line saying what is wrong and
 * a hint saying what to do. The entry point prints it without a stack.
 */
export class StartError extends Error {
  override readonly name = 'StartError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const RESET_TOKEN = 'Developer Portal → Bot → Reset Token, then put the new token in DISCORD_TOKEN.';
const DISCORD_REST_VERSION = 'v10';

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0'].includes(url.hostname);
}

/** The failure of GET /gateway/bot as a StartError; undefined when Discord answered 200. */
export function explainGatewayCheck(
  apiUrl: string,
  outcome: { status: number; retryAfter?: string } | TransportError,
): StartError | undefined {
  const url = new URL(apiUrl);
  if (outcome instanceof TransportError) {
    if (outcome.failure === 'network' && outcome.detail === 'ECONNREFUSED' && isLoopback(url)) {
      return new StartError(
        `nothing listens at DISCORD_API_URL ${apiUrl}`,
        'The local fakes pick a new port at every start: copy the URL `npm run fakes` prints now, or unset DISCORD_API_URL to use Discord.',
      );
    }
    const why = outcome.failure === 'timeout' ? 'no answer in time' : outcome.detail;
    return new StartError(
      `cannot reach Discord at ${apiUrl} (${why})`,
      isLoopback(url) || apiUrl !== 'https://discord.com/api'
        ? 'Check that DISCORD_API_URL points at a running Discord API (or unset it to use Discord).'
        : "Check this machine's network connection, DNS and proxy settings.",
    );
  }
  if (outcome.status >= 200 && outcome.status < 300) return undefined;
  if (outcome.status === 401) {
    return new StartError('Discord refused DISCORD_TOKEN (401 Unauthorized)', RESET_TOKEN);
  }
  if (outcome.status === 429) {
    return new StartError(
      `Discord is rate limiting this bot's logins (429, retry after ${outcome.retryAfter ?? 'a while'} s)`,
      'Wait, then start again; a bot that restarts in a loop uses up its daily session starts.',
    );
  }
  if (outcome.status >= 500) {
    return new StartError(
      `Discord answered ${outcome.status} at ${apiUrl}`,
      'Discord may be having trouble (https://discordstatus.com): try again in a few minutes.',
    );
  }
  return new StartError(
    `DISCORD_API_URL ${apiUrl} answered ${outcome.status} to GET /${DISCORD_REST_VERSION}/gateway/bot`,
    "It does not look like Discord's API: use its root ending in /api (e.g. https://discord.com/api), or unset DISCORD_API_URL.",
  );
}

/** What a successful `GET /gateway/bot` tells the bot. */
export interface GatewayInfo {
  /** Discord's recommended number of shards (what SHARD_COUNT=auto uses); 1 when the answer has none. */
  recommendedShards: number;
}

/** The `shards` field of a /gateway/bot body, when it is a sane whole number. */
function recommendedShardsIn(text: string): number {
  try {
    const shards = (JSON.parse(text) as { shards?: unknown }).shards;
    return typeof shards === 'number' && Number.isInteger(shards) && shards >= 1 && shards <= 10_000
      ? shards
      : 1;
  } catch {
    return 1;
  }
}

const PREFLIGHT_MIN_TIMEOUT_MS = 5_000;

/**
 * Asks Discord for the gateway (`GET /gateway/bot`, what login asks first)
 * once, with the configured timeout (at least PREFLIGHT_MIN_TIMEOUT_MS: a low
 * HTTP_TIMEOUT_MS tuned for the upstreams must not stop a start on a busy
 * machine) and no retries, so an unusable token or
 * an unreachable API stops the start with a clear line before anything is
 * written to disk.
 */
export async function checkDiscord(config: Config): Promise<GatewayInfo> {
  const transport = new HttpTransport({
    baseUrl: config.DISCORD_API_URL,
    timeoutMs: Math.max(config.HTTP_TIMEOUT_MS, PREFLIGHT_MIN_TIMEOUT_MS),
    connections: 1,
    // Discord asks bots for this User-Agent shape and may block others.
    userAgent: 'DiscordBot (https://github.com/hostlink, 0.1.0)',
  });
  let outcome: { status: number; retryAfter?: string } | TransportError;
  let recommendedShards = 1;
  try {
    const response = await transport.request({
      method: 'GET',
      path: `/${DISCORD_REST_VERSION}/gateway/bot`,
      headers: { authorization: `Bot ${config.DISCORD_TOKEN ?? ''}` },
      maxBodyBytes: 16 * 1024,
    });
    recommendedShards = recommendedShardsIn(response.text);
    outcome = {
      status: response.status,
      ...(response.headers['retry-after']
        ? { retryAfter: response.headers['retry-after'].slice(0, 12) }
        : {}),
    };
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    outcome = error;
  } finally {
    await transport.close().catch(() => undefined);
  }
  const problem = explainGatewayCheck(config.DISCORD_API_URL, outcome);
  if (problem) throw problem;
  return { recommendedShards };
}
