import { addDiscordError } from './schema-validator.js';

/**
 * Limits Discord enforces that the OpenAPI schema does not express:
 * - all embeds of one message together hold at most 6000 characters
 *   (title, description, field names and values, footer text, author name);
 * - a bot's message content is at most 2000 characters (the schema allows
 *   4000 on channel messages, which only applies to Nitro users).
 */
export const EMBED_TOTAL_LIMIT = 6000;
export const CONTENT_LIMIT = 2000;

export interface LimitCheck {
  errors: string[];
  discordErrors: Record<string, unknown>;
}

function length(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

export function embedCharacters(embed: unknown): number {
  let total = length(field(embed, 'title')) + length(field(embed, 'description'));
  total += length(field(field(embed, 'footer'), 'text')) + length(field(field(embed, 'author'), 'name'));
  const fields = field(embed, 'fields');
  if (Array.isArray(fields)) {
    for (const f of fields) total += length(field(f, 'name')) + length(field(f, 'value'));
  }
  return total;
}

/**
 * Checks one message payload. `basePath` locates it inside the request body
 * (`/data` for interaction callbacks) so errors point where Discord's would.
 */
export function checkMessageLimits(
  message: unknown,
  basePath = '',
  discordErrors: Record<string, unknown> = {},
): LimitCheck {
  const result: LimitCheck = { errors: [], discordErrors };
  const content = field(message, 'content');
  if (typeof content === 'string' && content.length > CONTENT_LIMIT) {
    const text = `Must be ${CONTENT_LIMIT} or fewer in length.`;
    result.errors.push(`${basePath}/content ${text}`);
    addDiscordError(result.discordErrors, `${basePath}/content`, 'BASE_TYPE_MAX_LENGTH', text);
  }
  const embeds = field(message, 'embeds');
  if (Array.isArray(embeds)) {
    const total = embeds.reduce<number>((sum, embed) => sum + embedCharacters(embed), 0);
    if (total > EMBED_TOTAL_LIMIT) {
      const text = `Embed size exceeds maximum size of ${EMBED_TOTAL_LIMIT} (${total} characters)`;
      result.errors.push(`${basePath}/embeds ${text}`);
      addDiscordError(result.discordErrors, `${basePath}/embeds`, 'MAX_EMBED_SIZE_EXCEEDED', text);
    }
  }
  return result;
}
