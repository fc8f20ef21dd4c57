import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatCount } from './format.js';

/**
 * Validation of every moderator command's options, on our side, whatever the
 * client sent: Discord's own option limits are a convenience, not a guarantee
 * (an interaction can carry any value). Nothing reaches the dashboard until
 * these pass; a failure names the option, what is allowed and what was sent.
 */

/** The dashboard's upper bound for coins and resource values. */
export const MAX_AMOUNT = 999_999_999_999_999;
export const MAX_ACTIVITY_LIMIT = 100;
export const DEFAULT_ACTIVITY_LIMIT = 15;
export const MAX_ID_LENGTH = 128;
export const MAX_REASON_LENGTH = 512;
export const MAX_PACKAGE_LENGTH = 100;

/** A whole number in [min, max]; one message for every way of missing it. */
export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${formatCount(min)} to ${formatCount(max)}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** A raw dashboard id: 1–128 printable characters, no whitespace. */
export const dashboardId = z
  .string({ error: 'must be text' })
  .min(1, 'must not be empty')
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(/^[^\s\p{C}]+$/u, 'must be printable characters without spaces');

/** A Discord user id, as the `user` option carries it. */
export const discordUserId = z.string({ error: 'must be a Discord user' }).regex(/^\d{17,20}$/, {
  message: 'must be a Discord user',
});

export const targetInput = z
  .object({ user: discordUserId.optional(), id: dashboardId.optional() })
  .superRefine((value, ctx) => {
    if (value.user !== undefined && value.id !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'Give either `user` (a Discord member) or `id` (a dashboard id), not both: they could name two different accounts.',
      });
    } else if (value.user === undefined && value.id === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'Say whose account: give `user` (a Discord member) or `id` (the dashboard id of a Google, GitHub or local account).',
      });
    }
  });

const amount = (min: number) => z.object({ amount: wholeNumber(min, MAX_AMOUNT) });

export const coinsAddInput = amount(1);
export const coinsSetInput = amount(0);

export const serversInput = z.object({
  detailed: z.boolean({ error: 'must be true or false' }).optional(),
});

export const activityInput = z.object({ limit: wholeNumber(1, MAX_ACTIVITY_LIMIT).optional() });

export const banInput = z.object({
  reason: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be blank')
    .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`)
    .optional(),
  duration: z.string({ error: 'must be text' }).max(64, 'must be at most 64 characters').optional(),
});

export const planSetInput = z.object({
  package: z
    .string({ error: 'must be a package name' })
    .trim()
    .min(1, 'must not be blank')
    .max(MAX_PACKAGE_LENGTH, `must be at most ${MAX_PACKAGE_LENGTH} characters`)
    .regex(/^[^\p{C}]+$/u, 'must be printable characters'),
});

export const RESOURCE_FIELDS = ['ram', 'disk', 'cpu', 'servers'] as const;
export type ResourceField = (typeof RESOURCE_FIELDS)[number];

export const resourcesInput = z
  .object({
    ram: wholeNumber(0, MAX_AMOUNT).optional(),
    disk: wholeNumber(0, MAX_AMOUNT).optional(),
    cpu: wholeNumber(0, MAX_AMOUNT).optional(),
    servers: wholeNumber(0, MAX_AMOUNT).optional(),
  })
  .superRefine((value, ctx) => {
    if (RESOURCE_FIELDS.every((field) => value[field] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'Give at least one of `ram` (MB), `disk` (MB), `cpu` (%) or `servers`.',
      });
    }
  });

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const cut = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return `\`${cut.replace(/`/g, 'ˋ') || ' '}\``;
}

/** One line per problem, e.g. "`amount` must be a whole number from 1 to 999,… — you sent `0`." */
export function describeIssues(error: z.ZodError, raw: Record<string, unknown>): string {
  const lines = new Set<string>();
  for (const issue of error.issues) {
    const key = issue.path[0];
    if (typeof key !== 'string') {
      lines.add(issue.message);
      continue;
    }
    lines.add(`\`${key}\` ${issue.message} — you sent ${shown(raw[key])}.`);
  }
  return [...lines].join('\n');
}

/** Parses raw option values; throws a UserError saying what was wrong and what is allowed. */
export function parseInput<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new UserError(describeIssues(result.error, raw), 'Invalid input');
  return result.data;
}
