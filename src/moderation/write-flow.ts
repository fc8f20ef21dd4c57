import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../context.js';
import type { Handler } from '../commands/types.js';
import { defer, respond, type ReplyPayload } from '../bot/respond.js';
import type { HeliactylClient } from '../heliactyl/client.js';
import type { AuditValue } from './audit.js';
import { runWrite, type WriteOutcome } from './actions.js';
import { requireDashboard } from './dashboard.js';
import { KeyedMutex } from './keyed-mutex.js';
import { resolveTarget, type Target } from './target.js';

/** What the reply is built from. */
export interface WriteResult<R, O extends WriteOutcome> {
  target: Target;
  request: R;
  outcome: O;
}

/**
 * One moderator write, declared: the flow `requireDashboard → resolveTarget →
 * defer → write → read back → audit → respond` is `defineModeratorWrite`'s;
 * a spec only says what differs.
 */
export interface ModeratorWriteSpec<R, O extends WriteOutcome> {
  /** Audited action (the command path, e.g. `coins set`). */
  action: string;
  /** Added to the "may or may not have been applied" answer, e.g. how to check. */
  unknownHint?: string;
  /** Read just before the write, under the account's lock (e.g. the balance before). */
  before?(dashboard: HeliactylClient, target: Target, request: R): Promise<R>;
  /** The audited values. */
  values(request: R): Record<string, AuditValue>;
  /** The one dashboard call: sent once, never retried. */
  write(dashboard: HeliactylClient, target: Target, request: R): Promise<unknown>;
  /** After an accepted write: how it really turned out (default: success, nothing read). */
  readBack?(dashboard: HeliactylClient, target: Target, request: R): Promise<O>;
  /** The answer; nothing when it answered by itself (e.g. asked a follow-up question). */
  reply(
    result: WriteResult<R, O>,
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    ctx: Context,
  ): ReplyPayload | Promise<ReplyPayload | void>;
}

export interface ModeratorWrite<R> {
  /** A slash command handler at `tier`; `request` reads and checks the options (before deferring). */
  command(tier: Handler['tier'], request: (interaction: ChatInputCommandInteraction) => R): Handler;
  /** The write after a confirmed question (asked with the target and request; button acknowledged). */
  confirmed(interaction: ButtonInteraction, ctx: Context, target: Target, request: R): Promise<void>;
}

/**
 * Writes to one dashboard account run one at a time (in this process), so two
 * admins cannot interleave e.g. two `/coins set` and read back each other's
 * balance. Replies are sent after the lock is let go.
 */
const accountLocks = new KeyedMutex();

export function defineModeratorWrite<R, O extends WriteOutcome = WriteOutcome>(
  spec: ModeratorWriteSpec<R, O>,
): ModeratorWrite<R> {
  async function perform(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    ctx: Context,
    dashboard: HeliactylClient,
    target: Target,
    given: R,
  ): Promise<WriteResult<R, O>> {
    if (accountLocks.isBusy(target.id)) {
      ctx.logger.info({ action: spec.action }, 'Waiting for another write on this account');
    }
    return accountLocks.run(target.id, async () => {
      const request = spec.before ? await spec.before(dashboard, target, given) : given;
      const meta = {
        action: spec.action,
        target,
        values: spec.values(request),
        ...(spec.unknownHint ? { unknownHint: spec.unknownHint } : {}),
      };
      const outcome = await runWrite<O>(
        ctx,
        interaction.user,
        meta,
        () => spec.write(dashboard, target, request),
        spec.readBack ? () => spec.readBack!(dashboard, target, request) : undefined,
      );
      return { target, request, outcome };
    });
  }

  return {
    command(tier, request) {
      return {
        tier,
        async run(interaction, ctx) {
          const dashboard = requireDashboard(ctx);
          const target = resolveTarget(interaction);
          const given = request(interaction);
          await defer(interaction, { ephemeral: true });
          const result = await perform(interaction, ctx, dashboard, target, given);
          const payload = await spec.reply(result, interaction, ctx);
          if (payload) await respond(interaction, payload);
        },
      };
    },
    async confirmed(interaction, ctx, target, request) {
      const dashboard = requireDashboard(ctx);
      const result = await perform(interaction, ctx, dashboard, target, request);
      const payload = await spec.reply(result, interaction, ctx);
      if (payload) await respond(interaction, { components: [], ...payload });
    },
  };
}
