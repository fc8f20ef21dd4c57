import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from './tokens.js';
import { parseJsonAs } from '../json.js';

/**
 * Vote webhooks from top.gg (v1 signed, legacy v0) and discordbotlist.com,
 * reduced to "who voted, under which idempotency key". Pure: the HTTP
 * routes call these with the raw body and headers.
 */

/** A v1 signature older than this is a replay. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;
/** v0 and dbl carry no vote id: one vote per user per 12 h window. */
export const VOTE_WINDOW_MS = 12 * 3_600_000;

export type VoteCheck =
  | { ok: true; vote: { key: string; userId: string; provider: 'topgg' | 'dbl' } | null }
  | { ok: false; status: 400 | 401; error: string; message: string };

const snowflake = z.string().regex(/^\d{17,20}$/);
const v1Schema = z.object({
  type: z.string().max(64),
  data: z
    .object({
      id: z.string().min(1).max(64),
      user: z.object({ platform_id: snowflake }).passthrough(),
    })
    .passthrough()
    .optional(),
});
const v0Schema = z.object({ user: snowflake, type: z.string().max(32).optional() });
const dblSchema = z.union([z.object({ user: snowflake }), z.object({ id: snowflake })]);

const unauthorized = (message: string): VoteCheck => ({
  ok: false,
  status: 401,
  error: 'unauthorized',
  message,
});
const malformed = (message: string): VoteCheck => ({ ok: false, status: 400, error: 'bad_request', message });

function windowKey(now: number): number {
  return Math.floor(now / VOTE_WINDOW_MS);
}

/** `x-topgg-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">`. */
export function checkTopggV1(header: string, raw: string, secret: string, now: number): VoteCheck {
  const parts = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const t = parts.t ?? '';
  const signature = parts.v1 ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/i.test(signature))
    return unauthorized('x-topgg-signature must be t=<timestamp>,v1=<signature>');
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
  if (!safeEqual(expected, signature.toLowerCase())) return unauthorized('The signature does not match');
  if (Math.abs(now - Number(t) * 1000) > SIGNATURE_MAX_AGE_MS)
    return unauthorized('The signature is more than 5 minutes old (or from the future)');
  const body = parseJsonAs(raw, v1Schema);
  if (!body) return malformed('Expected a top.gg v1 event with data.id and data.user.platform_id');
  // Test deliveries and other events are acknowledged and pay nothing.
  if (body.type !== 'vote.create' || !body.data) return { ok: true, vote: null };
  return {
    ok: true,
    vote: { key: `vote:topgg:${body.data.id}`, userId: body.data.user.platform_id, provider: 'topgg' },
  };
}

/** Legacy top.gg (v0): `Authorization: <secret>`, body `{user, type}`. */
export function checkTopggV0(authorization: string, raw: string, secret: string, now: number): VoteCheck {
  if (!safeEqual(authorization, secret)) return unauthorized('The Authorization header does not match');
  const body = parseJsonAs(raw, v0Schema);
  if (!body) return malformed('Expected a top.gg vote with a user id');
  if (body.type === 'test') return { ok: true, vote: null };
  return {
    ok: true,
    vote: { key: `vote:topgg:${body.user}:${windowKey(now)}`, userId: body.user, provider: 'topgg' },
  };
}

/** discordbotlist.com: `Authorization: <secret>`, the voter in `user` (or `id`). */
export function checkDbl(authorization: string, raw: string, secret: string, now: number): VoteCheck {
  if (!safeEqual(authorization, secret)) return unauthorized('The Authorization header does not match');
  const body = parseJsonAs(raw, dblSchema);
  if (!body) return malformed('Expected a discordbotlist.com vote with a user id');
  const userId = 'user' in body ? body.user : body.id;
  return { ok: true, vote: { key: `vote:dbl:${userId}:${windowKey(now)}`, userId, provider: 'dbl' } };
}
