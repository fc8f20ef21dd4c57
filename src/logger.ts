import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Field names whose values are secrets wherever they appear, at any depth. */
const SECRET_FIELDS = [
  'token',
  'apiKey',
  'api_key',
  'key',
  'authorization',
  'Authorization',
  'password',
  'DISCORD_TOKEN',
  'HELIACTYL_API_KEY',
  'ENCRYPTION_KEY',
  'ENCRYPTION_KEY_PREVIOUS',
  'REDIS_URL',
];

const SECRET_FIELD_NAMES = new Set(SECRET_FIELDS);

/** Shapes of secrets we can recognise inside free text (messages, stacks). */
const SECRET_PATTERNS: RegExp[] = [
  /\bah_[A-Za-z0-9]{20,}\b/g, // AtomicHost API keys
  /\b[MN][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}\b/g, // Discord bot tokens
  /\b(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{8,}/g, // Authorization header values
  /\/interactions\/(\d+)\/[A-Za-z0-9_-]{20,}/g, // interaction tokens in REST paths
  /\/webhooks\/(\d+)\/[A-Za-z0-9_-]{20,}/g, // webhook tokens in REST paths
];

export const REDACTED = '[redacted]';

export interface LoggerOptions {
  level: LevelWithSilent;
  pretty?: boolean;
  /** Exact secret values (configured keys) to scrub from any text. */
  secrets?: Array<string | undefined>;
  /** Where to write; defaults to stdout. Tests pass a capture stream. */
  destination?: NodeJS.WritableStream;
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, group: unknown) =>
      match.startsWith('/interactions/') || match.startsWith('/webhooks/')
        ? `${match.split('/').slice(0, 3).join('/')}/${REDACTED}`
        : typeof group === 'string' && (group === 'Bearer' || group === 'Bot')
          ? `${group} ${REDACTED}`
          : REDACTED,
    );
  }
  return out;
}

interface RequestErrorShape {
  method?: unknown;
  url?: unknown;
  path?: unknown;
  status?: unknown;
  code?: unknown;
  kind?: unknown;
  failure?: unknown;
}

/**
 * Errors about one HTTP request (discord.js' DiscordAPIError and HTTPError,
 * AtomicHost, Heliactyl and transport errors) carry what was sent and what
 * came back — a reply's full body, file contents, one-time links. Only
 * method, route, status and code are logged for them.
 */
function requestErrorSummary(error: Error, secrets: readonly string[]): Record<string, unknown> | undefined {
  const e = error as RequestErrorShape;
  const where = typeof e.url === 'string' ? e.url : e.path;
  if (typeof e.method !== 'string' || typeof where !== 'string') return undefined;
  // The path alone: no origin, no query (which may hold ids or values).
  const route = where.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split('?')[0] ?? '';
  const code = e.code ?? e.kind ?? e.failure;
  return {
    type: error.name,
    method: e.method,
    route: scrubText(route, secrets),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
  };
}

/** Deep copy with every string scrubbed; Errors become plain objects pino can print. */
function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) {
    const summary = requestErrorSummary(value, secrets);
    if (summary) return summary;
    const plain: Record<string, unknown> = {
      type: value.name,
      message: scrubText(value.message, secrets),
      stack: value.stack ? scrubText(value.stack, secrets) : undefined,
    };
    for (const [k, v] of Object.entries(value)) plain[k] = scrubField(k, v, secrets, depth + 1);
    if (value.cause !== undefined) plain.cause = scrubValue(value.cause, secrets, depth + 1);
    return plain;
  }
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  if (value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubField(k, v, secrets, depth + 1);
  return out;
}

/** A field named like a secret is replaced whole; any other is scrubbed by value. */
function scrubField(name: string, value: unknown, secrets: readonly string[], depth: number): unknown {
  if (SECRET_FIELD_NAMES.has(name) && value !== undefined && value !== null) return REDACTED;
  return scrubValue(value, secrets, depth);
}

/**
 * JSON logs to stdout (pretty only when asked). Secrets are removed by field
 * name and by value/shape in every string, in the log call and in a child's
 * bindings. (Not pino's `redact` option: with wildcard paths it ran on every
 * child logger's bindings, about 80 KB of garbage per interaction, the
 * largest allocation of the bot under load.)
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const transport = options.pretty
    ? pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } })
    : undefined;
  const root = pino(
    {
      level: options.level,
      base: { app: 'hostlink' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => scrubValue(arg, secrets)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    transport ?? options.destination ?? process.stdout,
  );
  // A child is created from its parent's prototype chain, so this covers every descendant's bindings.
  type ChildFn = (this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) => Logger;
  const child = root.child as unknown as ChildFn;
  const scrubbedChild: ChildFn = function (bindings, childOptions) {
    return child.call(this, scrubValue(bindings, secrets) as pino.Bindings, childOptions);
  };
  root.child = scrubbedChild as unknown as Logger['child'];
  return root;
}
