import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkDbl, checkTopggV0, checkTopggV1, type VoteCheck } from '../../rewards/votes.js';
import { jsonError, type HttpServerDeps } from '../deps.js';

function header(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * POST /webhooks/topgg and /webhooks/dbl: checked, answered 2xx as soon as
 * the vote is in the ledger (the worker pays it later), and a redelivered
 * vote is answered 2xx without a second grant.
 */
export function registerVoteRoutes(app: FastifyInstance, deps: HttpServerDeps): void {
  const now = deps.now ?? Date.now;
  const accept = async (check: VoteCheck, reply: FastifyReply) => {
    if (!check.ok) return reply.status(check.status).send(jsonError(check.error, check.message));
    if (!check.vote) return reply.status(200).send({ status: 'ignored' });
    const coins = await deps.rewards.settings.voteCoins();
    if (coins <= 0) return reply.status(200).send({ status: 'ignored', reason: 'vote rewards are off' });
    const { grant, created } = await deps.rewards.enqueue({
      key: check.vote.key,
      userId: check.vote.userId,
      coins,
      source: 'vote',
      cause: { provider: check.vote.provider },
      reason: `vote on ${check.vote.provider}`,
    });
    if (created)
      void deps.rewards.thanks
        .thank(grant.userId, grant.coins)
        .catch((error: unknown) => deps.logger.debug({ err: error }, 'Vote thanks not sent'));
    return reply.status(200).send({ status: created ? 'queued' : 'duplicate' });
  };

  const topggSecret = deps.config.TOPGG_WEBHOOK_SECRET;
  if (topggSecret) {
    app.post('/webhooks/topgg', async (request, reply) => {
      const signature = header(request.headers['x-topgg-signature']);
      const check = signature
        ? checkTopggV1(signature, request.rawBody, topggSecret, now())
        : checkTopggV0(header(request.headers.authorization), request.rawBody, topggSecret, now());
      return accept(check, reply);
    });
  }
  const dblSecret = deps.config.DBL_WEBHOOK_SECRET;
  if (dblSecret) {
    app.post('/webhooks/dbl', async (request, reply) =>
      accept(checkDbl(header(request.headers.authorization), request.rawBody, dblSecret, now()), reply),
    );
  }
}
