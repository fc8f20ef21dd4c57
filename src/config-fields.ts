import { z } from 'zod';

/**
 * The value schemas of the configuration's variables (ids, URLs, lists,
 * durations, budgets, shards). Pure: src/config.ts assembles them and is
 * still the only reader of `process.env`.
 */

export const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === ''
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;

export const optionalString = z.preprocess(blankToUndefined, z.string().optional());

export const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

/**
 * A comma-separated list; each entry must pass `item`, and a bad entry is
 * named by `problem(entry, position)` so the operator knows which one.
 */
const commaList = (item: z.ZodType<string>, problem: (entry: string, position: number) => string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const entries = (raw ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
        entries.forEach((entry, index) => {
          if (!item.safeParse(entry).success)
            ctx.addIssue({ code: 'custom', message: problem(entry, index + 1) });
        });
        return entries;
      }),
  );

export const snowflakeSet = commaList(
  snowflake,
  (id) => `"${id}" is not a Discord role id (17–20 digits)`,
).transform((ids) => new Set(ids));

const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');
export const optionalUrl = z.preprocess(blankToUndefined, httpUrl.optional());
export const urlWithDefault = (fallback: string) => z.preprocess(blankToUndefined, httpUrl.default(fallback));

/**
 * Where `/files upload` may send a user's attachment: a host suffix
 * (`atomichost.xyz` matches it and every subdomain, `https:` to public
 * addresses only) or an exact origin the operator trusts as given
 * (`http://127.0.0.1:8080`, for a local node or the test fakes).
 */
export const transferHostList = commaList(
  z
    .string()
    .regex(
      /^(https?:\/\/[^/\s]+\/?|\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)$/,
      'must be a host suffix or an origin',
    ),
  (entry) =>
    `"${entry}" is neither a host suffix (e.g. atomichost.xyz) nor an origin (e.g. https://node.example.com)`,
).transform((entries) =>
  entries.map((entry) =>
    /^https?:\/\//i.test(entry) ? new URL(entry).origin : entry.replace(/^\./, '').toLowerCase(),
  ),
);

/**
 * The registrable domain of a host, without a public-suffix list: the last
 * two labels, or three under a two-letter country code with a short
 * second level (`example.co.uk`). IP addresses and single labels stay whole.
 */
export function registrableDomain(host: string): string {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(name) || name.includes(':')) return name;
  const labels = name.split('.');
  if (labels.length <= 2) return name;
  const [second = '', top = ''] = labels.slice(-2);
  const keep = top.length === 2 && second.length <= 3 ? 3 : 2;
  return labels.slice(-keep).join('.');
}

export const encryptionKey = z.string().refine((value) => {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 && bytes.toString('base64').replace(/=+$/, '') === value.replace(/=+$/, '');
}, 'must be 32 bytes encoded in base64 (generate one with: openssl rand -base64 32)');

export const encryptionKeyList = commaList(
  encryptionKey,
  (_key, position) => `entry ${position} must be 32 bytes encoded in base64`,
);

export const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

/** A closed list of words: a wrong one is answered with the list, not zod's raw text. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) =>
      `must be one of ${values.join(', ')}` +
      (typeof issue.input === 'string' ? ` (got "${issue.input.slice(0, 40)}")` : ''),
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Store schemes Hostlink can open (redis and postgres need their Keyv package). */
export const STORE_SCHEME = /^(sqlite|redis|rediss|postgres|postgresql):\/\//;

/** `<n>/<duration>` with s, m, h or d: the dashboard's request budget, e.g. `250/10m`. */
const RATE_LIMIT_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const rateLimit = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('250/10m')
    .transform((value, ctx) => {
      const match = /^(\d{1,6})\s*\/\s*(\d{1,6})\s*([smhd])$/.exec(value);
      const limit = match ? Number(match[1]) : 0;
      const windowMs = match ? Number(match[2]) * RATE_LIMIT_UNITS[match[3]!]! : 0;
      if (limit < 1 || windowMs < 1_000) {
        ctx.addIssue({
          code: 'custom',
          message: `must be <requests>/<duration>, e.g. 250/10m (got "${value.slice(0, 40)}")`,
        });
        return z.NEVER;
      }
      return { limit, windowMs };
    }),
);

/** Bearer tokens for the grant API: at least 16 characters, no spaces or commas. */
export const apiTokenList = commaList(
  z.string().regex(/^[\x21-\x7e]{16,256}$/),
  (_token, position) => `entry ${position} must be 16–256 visible characters (e.g. openssl rand -hex 24)`,
);

/** Discord's limit is far above any bot this runs; the cap only rejects typos. */
const MAX_SHARDS = 10_000;

/** `auto` (ask Discord at start) or a whole number of shards. */
export const shardCount = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('1')
    .transform((value, ctx): number | 'auto' => {
      if (value.toLowerCase() === 'auto') return 'auto';
      const count = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
      if (!(count >= 1 && count <= MAX_SHARDS)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be auto or a whole number from 1 to ${MAX_SHARDS} (got "${value.slice(0, 40)}")`,
        });
        return z.NEVER;
      }
      return count;
    }),
);

/** The shards this machine runs; checked against SHARD_COUNT once both are known. */
export const shardIdList = commaList(
  z.string().regex(/^\d{1,6}$/),
  (entry) => `"${entry.slice(0, 40)}" is not a shard id (a whole number from 0)`,
).transform((entries) => (entries.length > 0 ? entries.map(Number) : undefined));
