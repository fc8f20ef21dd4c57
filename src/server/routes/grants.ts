import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Grant } from '../../rewards/ledger.js';
import { matchBearer, tokenId } from '../../rewards/tokens.js';
import { jsonError, type HttpServerDeps } from '../deps.js';

const grantBody = z.object({
  user_id: z.string().regex(/^\d{17,20}$/, 'user_id must be a Discord user id (17–20 digits)'),
  coins: z
    .number({ message: 'coins must be a number' })
    .int('coins must be a whole number')
    .min(1, 'coins must be at least 1')
    .max(1_000_000, 'coins must be at most 1000000'),
  reason: z.string().max(200, 'reason must be at most 200 characters').optional(),
});

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

function publicGrant(grant: Grant): Record<string, unknown> {
  return {
    id: grant.id,
    status: grant.state,
    user_id: grant.userId,
    coins: grant.coins,
    reason: grant.reason,
    created_at: new Date(grant.createdAt).toISOString(),
    updated_at: new Date(grant.updatedAt).toISOString(),
    balance_after: grant.balanceAfter,
    repaired: grant.repaired,
    ...(grant.state === 'failed' || grant.state === 'unknown' ? { detail: grant.detail } : {}),
  };
}

/**
 * POST /api/v1/grants and GET /api/v1/grants/{id}, for other reward bots.
 * The ledger key is `api:<token id>:<Idempotency-Key>` (the token's hash,
 * never the token), so a retry returns the first grant and a different
 * body under the same key is refused with 409.
 */
export function registerGrantRoutes(app: FastifyInstance, deps: HttpServerDeps): void {
  const tokens = deps.config.REWARDS_API_TOKENS;
  if (tokens.length === 0) return;

  const authenticate = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const token = matchBearer(request.headers.authorization, tokens);
    if (!token)
      void reply
        .status(401)
        .send(jsonError('unauthorized', 'Send Authorization: Bearer <token> with a valid token'));
    return token ? tokenId(token) : undefined;
  };

  app.post('/api/v1/grants', async (request, reply) => {
    const caller = authenticate(request, reply);
    if (!caller) return reply;
    const idempotencyKey = request.headers['idempotency-key'];
    if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey))
      return reply
        .status(400)
        .send(jsonError('bad_request', 'The Idempotency-Key header is required (1–128 visible characters)'));
    let json: unknown;
    try {
      json = JSON.parse(request.rawBody);
    } catch {
      return reply.status(400).send(jsonError('bad_request', 'The body is not valid JSON'));
    }
    const parsed = grantBody.safeParse(json);
    if (!parsed.success)
      return reply
        .status(400)
        .send(jsonError('bad_request', parsed.error.issues.map((i) => i.message).join('; ')));
    const body = parsed.data;
    const key = `api:${caller}:${idempotencyKey}`;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([body.user_id, body.coins, body.reason ?? null]))
      .digest('hex');

    const existing = await deps.rewards.ledger.getByKey(key);
    if (existing) return answerExisting(existing, fingerprint, reply);
    const account = await deps.accountExists(body.user_id);
    if (account === false)
      return reply
        .status(422)
        .send(
          jsonError(
            'unknown_user',
            `The dashboard has no account for user ${body.user_id}; nothing was granted`,
          ),
        );
    if (account === 'unavailable')
      return reply
        .status(503)
        .header('retry-after', '60')
        .send(
          jsonError(
            'dashboard_unavailable',
            'The dashboard could not be asked whether the user exists; retry with the same Idempotency-Key',
          ),
        );
    const { grant, created } = await deps.rewards.enqueue({
      key,
      userId: body.user_id,
      coins: body.coins,
      source: 'api',
      cause: { token: caller },
      ...(body.reason ? { reason: body.reason } : {}),
      fingerprint,
    });
    if (!created) return answerExisting(grant, fingerprint, reply);
    return reply.status(202).send(publicGrant(grant));
  });

  app.get<{ Params: { id: string } }>('/api/v1/grants/:id', async (request, reply) => {
    const caller = authenticate(request, reply);
    if (!caller) return reply;
    const grant = /^[0-9a-f-]{36}$/.test(request.params.id)
      ? await deps.rewards.ledger.get(request.params.id)
      : undefined;
    // Another token's grants are not shown (nor said to exist).
    if (!grant || !grant.key.startsWith(`api:${caller}:`))
      return reply.status(404).send(jsonError('not_found', 'No grant with that id for this token'));
    return reply.status(200).send(publicGrant(grant));
  });
}

function answerExisting(grant: Grant, fingerprint: string, reply: FastifyReply): FastifyReply {
  if (grant.fingerprint !== fingerprint)
    return reply
      .status(409)
      .send(
        jsonError(
          'idempotency_conflict',
          'This Idempotency-Key was used with a different body; nothing was granted',
        ),
      );
  return reply.status(200).send(publicGrant(grant));
}
