import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import {
  LOG_LEVELS,
  STORE_SCHEME,
  apiTokenList,
  blankToUndefined,
  encryptionKey,
  encryptionKeyList,
  integer,
  oneOf,
  optionalString,
  optionalUrl,
  rateLimit,
  registrableDomain,
  shardCount,
  shardIdList,
  snowflake,
  snowflakeSet,
  transferHostList,
  urlWithDefault,
} from './config-fields.js';

/**
 * The only reader of `process.env`. Everything else receives a `Config`.
 * Blank values count as unset, so a copied `.env.example` with empty lines
 * behaves like a missing variable rather than an invalid one.
 */

export const configSchema = z
  .object({
    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: z.preprocess(blankToUndefined, snowflake.optional()),
    DISCORD_GUILD_ID: z.preprocess(blankToUndefined, snowflake.optional()),
    DISCORD_API_URL: urlWithDefault('https://discord.com/api'),
    HELIACTYL_URL: optionalUrl,
    HELIACTYL_API_KEY: optionalString,
    ATOMICHOST_API_URL: urlWithDefault('https://atomichost.xyz/api/client/v1'),
    ATOMICHOST_TRANSFER_HOSTS: transferHostList,
    ENCRYPTION_KEY: z.preprocess(blankToUndefined, encryptionKey.optional()),
    ENCRYPTION_KEY_PREVIOUS: encryptionKeyList,
    STORE_URL: z.preprocess(
      blankToUndefined,
      z
        .string()
        .default('sqlite://data/hostlink.sqlite')
        .superRefine((value, ctx) => {
          if (STORE_SCHEME.test(value)) return;
          // Only the scheme is echoed: the rest of a store URL may hold a password.
          const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1];
          ctx.addIssue({
            code: 'custom',
            message:
              (scheme ? `scheme "${scheme}://" is not supported` : 'is not a store URL') +
              ': use sqlite://<file> (default sqlite://data/hostlink.sqlite), postgres://… or redis://…',
          });
        }),
    ),
    ADMIN_ROLE_IDS: snowflakeSet,
    MODERATOR_ROLE_IDS: snowflakeSet,
    AUDIT_CHANNEL_ID: z.preprocess(blankToUndefined, snowflake.optional()),
    CONSOLE_EDIT_INTERVAL_MS: integer(1500, 250, 60_000),
    HTTP_TIMEOUT_MS: integer(10_000, 100, 120_000),
    CONFIRMATION_TIMEOUT_MS: integer(60_000, 1_000, 600_000),
    // A console message is edited through its interaction token, which Discord honours for 15 minutes.
    CONSOLE_MESSAGE_LIFETIME_MS: integer(840_000, 1_000, 870_000),
    CONSOLE_IDLE_TIMEOUT_MS: integer(600_000, 1_000, 86_400_000),
    CONSOLE_RETRY_DELAY_MS: integer(2_000, 0, 60_000),
    // Longest a moderator command waits inside the bot for the dashboard's rate limit before answering "try again".
    HELIACTYL_MAX_WAIT_MS: integer(2_000, 0, 60_000),
    LOG_LEVEL: z.preprocess(blankToUndefined, oneOf(LOG_LEVELS).default('info')),
    HTTP_PORT: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ message: 'must be a port number' })
        .int('must be a port number')
        .min(0, 'must be a port number (0–65535)')
        .max(65_535, 'must be a port number (0–65535)')
        .optional(),
    ),
    HTTP_HOST: z.preprocess(blankToUndefined, z.string().max(255).default('127.0.0.1')),
    HELIACTYL_RATE_LIMIT: rateLimit,
    // Only the scheme is echoed on error: the rest may hold a password.
    REDIS_URL: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)')
        .optional(),
    ),
    // Prefix of every key Hostlink writes, so one Redis can serve several bots.
    REDIS_PREFIX: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[\w:.-]{1,64}$/, 'must be 1–64 letters, digits or _ : . -')
        .default('hostlink:'),
    ),
    // How long a dead process's drain lease and stream entries outlive it.
    REDIS_LEASE_MS: integer(15_000, 500, 300_000),
    SHARD_COUNT: shardCount,
    SHARD_IDS: shardIdList,
    // Gap between starting two shard processes: Discord lets a bot IDENTIFY once per 5 s (max_concurrency 1).
    SHARD_SPAWN_DELAY_MS: integer(5_500, 0, 60_000),
    REWARDS_API_TOKENS: apiTokenList,
    TOPGG_WEBHOOK_SECRET: optionalString,
    DBL_WEBHOOK_SECRET: optionalString,
    LOG_PRETTY: z.preprocess(
      blankToUndefined,
      z
        .enum(['true', 'false', '1', '0'], { error: () => 'must be true or false' })
        .default('false')
        .transform((value) => value === 'true' || value === '1'),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.HELIACTYL_URL && !env.HELIACTYL_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['HELIACTYL_API_KEY'],
        message: 'is required when HELIACTYL_URL is set',
      });
    }
    if (env.HELIACTYL_API_KEY && !env.HELIACTYL_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['HELIACTYL_URL'],
        message: 'is required when HELIACTYL_API_KEY is set',
      });
    }
    shardIdProblems(env.SHARD_COUNT, env.SHARD_IDS).forEach((message) =>
      ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message }),
    );
  })
  .transform((env) => ({
    ...env,
    // Unset: the API host's registrable domain, so node hosts under it are reachable.
    ATOMICHOST_TRANSFER_HOSTS:
      env.ATOMICHOST_TRANSFER_HOSTS.length > 0
        ? env.ATOMICHOST_TRANSFER_HOSTS
        : [registrableDomain(new URL(env.ATOMICHOST_API_URL).hostname)],
  }));

export type Config = z.output<typeof configSchema>;

/** What is wrong with SHARD_IDS given SHARD_COUNT, one line per problem. */
function shardIdProblems(count: number | 'auto' | undefined, ids: number[] | undefined): string[] {
  if (ids === undefined || count === undefined) return [];
  if (count === 'auto')
    return ['needs a number in SHARD_COUNT, not auto: machines splitting the shards must agree on the total'];
  const problems = ids
    .filter((id) => id >= count)
    .map((id) => `${id} is not a shard of SHARD_COUNT ${count} (shard ids run from 0 to ${count - 1})`);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) problems.push(`names shard ${repeated[0]} twice`);
  return problems;
}

/**
 * Whether `npm start` runs a shard manager (shard processes under one
 * supervisor) rather than the bot itself: above one shard, or `auto`. (With
 * one shard, SHARD_IDS can only name that shard: the process runs it.)
 */
export function runsShardManager(config: Pick<Config, 'SHARD_COUNT'>): boolean {
  return config.SHARD_COUNT !== 1;
}

/** What the configuration is for: each purpose has its own required variables. */
export type ConfigPurpose = 'bot' | 'deploy';

const requiredFor: Record<ConfigPurpose, Array<{ key: keyof Config; why: string }>> = {
  bot: [
    { key: 'DISCORD_TOKEN', why: 'is required to start the bot (the bot token from the Developer Portal)' },
  ],
  deploy: [
    { key: 'DISCORD_TOKEN', why: 'is required to deploy commands (the bot token from the Developer Portal)' },
    { key: 'DISCORD_APPLICATION_ID', why: 'is required to deploy commands (the application id)' },
  ],
};

/** Thrown with one human line per problem; the entry points print them and exit 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Why `token` cannot be a bot token, judged by its shape alone (no network):
 * Discord's bot tokens are three dot-separated base64url parts, the first of
 * which encodes the bot's user id. The client secret, public key or an
 * OAuth token pasted by mistake fail this.
 */
export function botTokenShapeProblem(token: string | undefined): string | undefined {
  const value = blankToUndefined(token);
  if (typeof value !== 'string') return undefined;
  const hint = 'Developer Portal → Bot → Reset Token';
  if (/^bot\s/i.test(value))
    return `DISCORD_TOKEN must be the token alone, without "Bot " in front — ${hint}`;
  const parts = /^([A-Za-z0-9_-]{16,})\.([A-Za-z0-9_-]{4,})\.([A-Za-z0-9_-]{20,})$/.exec(value);
  const userId = parts ? Buffer.from(parts[1]!, 'base64url').toString('latin1') : '';
  if (!/^\d{17,20}$/.test(userId)) return `DISCORD_TOKEN is not a bot token — ${hint}`;
  return undefined;
}

export interface ParseOptions {
  /** Also check that DISCORD_TOKEN is shaped like a bot token (the entry points do; unit tests use dummies). */
  checkTokenShape?: boolean;
}

/** Parses an environment object. Pure: tests call it with literal objects. */
export function parseConfig(
  env: Record<string, string | undefined>,
  purpose: ConfigPurpose,
  options: ParseOptions = {},
): Config {
  const result = configSchema.safeParse(env);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join('.') || 'environment';
      problems.push(`${key} ${issue.message}`);
    }
  }
  for (const { key, why } of requiredFor[purpose]) {
    if (blankToUndefined(env[key]) === undefined) problems.push(`${key} ${why}`);
  }
  if (purpose === 'bot' && result.success && runsShardManager(result.data) && !result.data.REDIS_URL)
    problems.push(
      'REDIS_URL is required when SHARD_COUNT is not 1: the shard processes share the dashboard budget, ' +
        'the grant worker and the console stream limit through it',
    );
  const tokenProblem = options.checkTokenShape ? botTokenShapeProblem(env.DISCORD_TOKEN) : undefined;
  if (tokenProblem) problems.unshift(tokenProblem);
  if (problems.length > 0 || !result.success) throw new ConfigError([...new Set(problems)]);
  return result.data;
}

/** Reads `.env` (if any) into the environment, then validates it. */
export function loadConfig(purpose: ConfigPurpose): Config {
  loadDotenv({ quiet: true });
  return parseConfig(process.env, purpose, { checkTokenShape: true });
}

/** True when both moderator-side variables are set. */
export function heliactylConfigured(
  config: Config,
): config is Config & { HELIACTYL_URL: string; HELIACTYL_API_KEY: string } {
  return Boolean(config.HELIACTYL_URL && config.HELIACTYL_API_KEY);
}

/**
 * `npm run proxy`: a Discord REST proxy (@discordjs/proxy) that several bot
 * processes share, so they share Discord's rate limits. The bots point
 * DISCORD_API_URL at it (`http://<host>:<port>/api`).
 */
export const proxyConfigSchema = z.object({
  /** Where the proxy sends requests: Discord, or a fake in tests. */
  DISCORD_PROXY_UPSTREAM_URL: urlWithDefault('https://discord.com/api'),
  /** 0 picks a free port (tests); the proxy logs the one it listens on. */
  DISCORD_PROXY_PORT: integer(8081, 0, 65_535),
  DISCORD_PROXY_HOST: z.preprocess(blankToUndefined, z.string().default('127.0.0.1')),
  HTTP_TIMEOUT_MS: integer(10_000, 100, 120_000),
  LOG_LEVEL: z.preprocess(blankToUndefined, oneOf(LOG_LEVELS).default('info')),
});

export type ProxyConfig = z.output<typeof proxyConfigSchema>;

/** Reads `.env` (if any), then validates the proxy's variables. */
export function loadProxyConfig(): ProxyConfig {
  loadDotenv({ quiet: true });
  const result = proxyConfigSchema.safeParse(process.env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
}
